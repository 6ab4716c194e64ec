import { NavLink, Text } from '@mantine/core';
import { IconChartBar, IconChartLine, IconTrophy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useCanReadDeals } from './use-can-read-deals.ts';
import { carriedScope, salesPaths } from './sales-paths.ts';

const linkStyle = { borderRadius: 'var(--mantine-radius-sm)' };
const listStyle = { listStyle: 'none', margin: 0, padding: 0 } as const;

/** The navigation's "Sales" group (dashboard, forecast, leaderboard), for those who may read deals. */
export const SalesNavLink = ({ onNavigate }: { onNavigate?: (() => void) | undefined }) => {
  const { t } = useTranslation();
  const location = useLocation();
  const canRead = useCanReadDeals();
  if (!canRead) return null;
  const isInSales = location.pathname === salesPaths.dashboard() || location.pathname.startsWith(`${salesPaths.dashboard()}/`);
  // The scope chosen on one screen stays when moving to another.
  const search = isInSales ? carriedScope(location.search) : '';
  const items = [
    { to: salesPaths.dashboard(), label: t('sales.nav.dashboard'), Icon: IconChartBar },
    { to: salesPaths.forecast(), label: t('sales.nav.forecast'), Icon: IconChartLine },
    { to: salesPaths.leaderboard(), label: t('sales.nav.leaderboard'), Icon: IconTrophy },
  ];
  return (
    <div>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" component="h2" mt={0} mb={4} id="sales-nav-title">
        {t('sales.nav.title')}
      </Text>
      <ul style={listStyle} aria-labelledby="sales-nav-title">
        {items.map(({ to, label, Icon }) => {
          const isActive = location.pathname === to;
          return (
            <li key={to}>
              <NavLink
                component={Link}
                to={`${to}${search}`}
                label={label}
                leftSection={<Icon size={18} aria-hidden />}
                active={isActive}
                aria-current={isActive ? 'page' : undefined}
                onClick={onNavigate}
                variant="light"
                style={linkStyle}
              />
            </li>
          );
        })}
      </ul>
    </div>
  );
};
