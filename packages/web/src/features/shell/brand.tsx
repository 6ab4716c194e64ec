import { Text } from '@mantine/core';
import { Link } from 'react-router';
import classes from './brand.module.css';

export const Brand = () => (
  <Link to="/" className={classes.brand} aria-label="Rapport">
    <img src="/favicon.svg" alt="" width={28} height={28} />
    <Text fw={700} size="lg" aria-hidden visibleFrom="xs">
      Rapport
    </Text>
  </Link>
);
