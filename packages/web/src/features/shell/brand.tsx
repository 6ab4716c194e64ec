import { Text } from '@mantine/core';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { useWorkspaceSettings } from '../../api/queries.ts';
import { useSession } from '../auth/session.tsx';
import classes from './brand.module.css';

/** The CSS variables Mantine reads for the primary colour, from the workspace's `#rrggbb` colour. */
export const primaryColorVariables = (hex: string): Record<string, string> => ({
  '--mantine-primary-color-filled': hex,
  '--mantine-primary-color-filled-hover': `color-mix(in srgb, ${hex} 85%, black)`,
  '--mantine-primary-color-light': `color-mix(in srgb, ${hex} 12%, transparent)`,
  '--mantine-primary-color-light-hover': `color-mix(in srgb, ${hex} 20%, transparent)`,
  '--mantine-primary-color-light-color': `color-mix(in srgb, ${hex} 75%, black)`,
});

/** The workspace's primary colour on every Mantine component that uses the primary colour. */
const useWorkspaceColor = (hex: string | null | undefined) => {
  useEffect(() => {
    if (!hex) return;
    const root = document.documentElement;
    const variables = primaryColorVariables(hex);
    for (const [name, value] of Object.entries(variables)) root.style.setProperty(name, value);
    return () => {
      for (const name of Object.keys(variables)) root.style.removeProperty(name);
    };
  }, [hex]);
};

/** The header's home link: the workspace's logo and name when it has a logo, else Rapport's. */
export const Brand = () => {
  // Public screens (sign-in, sign-up) show Rapport's own brand: the workspace is read only once signed in.
  const { session } = useSession();
  const { data: settings } = useWorkspaceSettings(session.status === 'signedIn');
  useWorkspaceColor(settings?.primaryColor);
  const name = settings?.logo ? settings.name : 'Rapport';
  return (
    <Link to="/" className={classes.brand} aria-label={name}>
      <img src={settings?.logo ?? '/favicon.svg'} alt="" width={28} height={28} style={{ objectFit: 'contain' }} data-workspace-logo={settings?.logo ? 'true' : undefined} />
      <Text fw={700} size="lg" aria-hidden visibleFrom="xs" truncate maw={220}>
        {name}
      </Text>
    </Link>
  );
};
