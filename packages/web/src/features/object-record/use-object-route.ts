import type { ObjectDefinition } from '@rapport/common';
import { useParams } from 'react-router';
import { useObjects } from '../../api/queries.ts';
import { findObject } from './metadata.ts';

/** The object named in the URL (`/objects/:object/...`) and all objects of the workspace. */
export const useObjectRoute = (): { objectName: string; object: ObjectDefinition | undefined; objects: ObjectDefinition[]; isLoading: boolean; error: unknown } => {
  const { object: objectName = '' } = useParams();
  const { data: objects = [], isLoading, error } = useObjects();
  return { objectName, object: findObject(objects, objectName), objects, isLoading, error };
};
