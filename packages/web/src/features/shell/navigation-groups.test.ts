import type { ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { navigationGroupsOf } from './navigation-groups.ts';

const object = (name: string, isStandard = true) => ({ name, labelSingular: name, labelPlural: name, isStandard, fields: [] }) as ObjectDefinition;

describe('navigation groups', () => {
  it('should keep daily standard objects in view, set-up ones under "More objects" and custom ones apart, in order', () => {
    const groups = navigationGroupsOf([object('company'), object('pipelineStage'), object('opportunity'), object('vehicle', false), object('exchangeRate'), object('task')]);
    expect(groups.main.map((o) => o.name)).toEqual(['company', 'opportunity', 'task']);
    expect(groups.secondary.map((o) => o.name)).toEqual(['pipelineStage', 'exchangeRate']);
    expect(groups.custom.map((o) => o.name)).toEqual(['vehicle']);
  });
});
