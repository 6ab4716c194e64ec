import { rapportAdapter } from './rapport-adapter.ts';
import type { TelephonyAdapter, TelephonyProvider } from './telephony-adapter.ts';
import { twilioAdapter } from './twilio-adapter.ts';

/** Each wire format's adapter: the webhook and the test event read requests through the same one. */
export const TELEPHONY_ADAPTERS: Record<TelephonyProvider, TelephonyAdapter> = { rapport: rapportAdapter, twilio: twilioAdapter };
