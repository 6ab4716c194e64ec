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

/**
 * Moves the session to another workspace the person belongs to and loads `path` there; a refusal is shown
 * as a notification. `switchingTo` is the workspace being switched to, for the button's spinner.
 */
export const useWorkspaceSwitch = () => {
  const { t } = useTranslation();
  const [switchingTo, setSwitchingTo] = useState<string | null>(null);
  const switchTo = async (workspaceId: string, path: string) => {
    setSwitchingTo(workspaceId);
    try {
      await switchWorkspace({ workspaceId, path });
    } catch (error) {
      notify({ message: problemMessage(t, error), color: 'red' });
      setSwitchingTo(null);
    }
  };
  return { switchTo, switchingTo };
};

/** Opens a sandbox: the session moves to its workspace and its start screen loads. */
export const useOpenSandbox = () => {
  const { switchTo, switchingTo } = useWorkspaceSwitch();
  return { open: (sandbox: Sandbox) => switchTo(sandbox.workspaceId, '/'), isOpening: (sandbox: Sandbox) => switchingTo === sandbox.workspaceId };
};
