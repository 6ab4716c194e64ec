import { api } from '../../api/client.ts';

/** What a visitor may know of a booking page (GET /public/booking/{slug}). */
export interface PublicBookingPage {
  slug: string;
  name: string;
  description: string | null;
  durationMinutes: number;
  durations: number[];
  timezone: string;
}

export interface BookingSlot {
  start: string;
  end: string;
}

export interface BookedMeeting {
  start: string;
  end: string;
  durationMinutes: number;
  manageUrl: string;
}

export interface ManagedBooking {
  status: 'booked' | 'cancelled';
  start: string;
  end: string;
  page: PublicBookingPage | null;
  canReschedule: boolean;
  canCancel: boolean;
}

const pagePath = (slug: string) => `/public/booking/${encodeURIComponent(slug)}`;
const managePath = (token: string) => `/public/booking/manage/${encodeURIComponent(token)}`;

// Public routes: a 401 here must never sign out someone who happens to be signed in to the CRM in this browser.
export const bookingApi = {
  getPage: (slug: string) => api.get<PublicBookingPage>(pagePath(slug)),
  listSlots: (slug: string, query: { from: string; to: string; tz: string; durationMinutes: number }) =>
    api.get<{ slots: BookingSlot[] }>(`${pagePath(slug)}/slots`, query),
  book: (slug: string, body: { start: string; name: string; email: string; tz: string; durationMinutes: number; notes?: string }) =>
    api.post<BookedMeeting>(pagePath(slug), body, { isPublic: true }),
  getBooking: (token: string) => api.get<ManagedBooking>(managePath(token)),
  cancel: (token: string, tz: string) => api.post<{ status: string; start: string; end: string }>(managePath(token), { action: 'cancel', tz }, { isPublic: true }),
  reschedule: (token: string, start: string, tz: string) =>
    api.post<{ status: string; start: string; end: string }>(managePath(token), { action: 'reschedule', start, tz }, { isPublic: true }),
};
