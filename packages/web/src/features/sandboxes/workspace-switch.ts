import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import { notify } from '../../components/ui/notify.ts';
import { useSession } from '../auth/session.tsx';
import { switchWorkspace, type Sandbox } from './sandboxes-api.ts';

/** The workspace the signed-in person is in: the production its sandboxes deploy to. */
export const useWorkspaceName = () => {
  const { session } = useSession();
  return session.status === 'signedIn' ? (session.user.workspace?.name ?? '') : '';
};

/** Opens a sandbox: the session moves to its workspace and its start screen loads. */
export const useOpenSandbox = () => {
  const { t } = useTranslation();
  const [openingId, setOpeningId] = useState<string | null>(null);
  const open = async (sandbox: Sandbox) => {
    setOpeningId(sandbox.id);
    try {
      await switchWorkspace({ workspaceId: sandbox.workspaceId, path: '/' });
    } catch (error) {
      notify({ message: problemMessage(t, error), color: 'red' });
      setOpeningId(null);
    }
  };
  return { open, openingId };
};
