import { lazy, Suspense, type ReactNode } from 'react';
import { LoadingScreen } from '../../components/ui/screens.tsx';
import { useMe } from './account-api.ts';

// The enrolment screen (and its QR code library) loads for someone who must enrol, not with every first screen.
const EnrolmentRequiredScreen = lazy(async () => ({ default: (await import('./totp-enrolment.tsx')).EnrolmentRequiredScreen }));

/** The app's screens, or the enrolment screen while two-factor authentication is required and not set up. */
export const TwoFactorGate = ({ children }: { children: ReactNode }) => {
  const { data: me } = useMe();
  if (!me?.twoFactorRequired || me.twoFactorEnabled) return children;
  return (
    <Suspense fallback={<LoadingScreen />}>
      <EnrolmentRequiredScreen />
    </Suspense>
  );
};
