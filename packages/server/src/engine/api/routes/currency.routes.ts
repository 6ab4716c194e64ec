import { EXCHANGE_RATE_OBJECT } from '@rapport/common';
import type { FastifyInstance } from 'fastify';
import { convertAmount } from '../../currency/convert.ts';
import { findRateSource } from '../../currency/exchange-rates.ts';
import { getReadableObject } from '../../permissions/assert-access.ts';
import { getContext, type EngineServices } from '../context.ts';
import { convertQuerystring } from './currency.schemas.ts';

interface ConvertQuery {
  amount: number;
  from: string;
  to?: string;
  date?: string;
}

/** `GET /currency/convert`: an amount in another currency at the rates of a day (docs/reference/currency.md). */
export const registerCurrencyRoutes = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  app.get<{ Querystring: ConvertQuery }>('/currency/convert', { config: { licenceFeatures: ['records.read'] }, schema: { querystring: convertQuerystring } }, async (request) => {
    const { workspace, access } = getContext(request);
    // The answer shows rates: only for callers who may read them (403 otherwise), when the workspace has them.
    if (workspace.objects.has(EXCHANGE_RATE_OBJECT)) getReadableObject(access, EXCHANGE_RATE_OBJECT);
    const { amount, from, to, date } = request.query;
    return convertAmount(db, { workspace, rates: findRateSource(workspace), input: { amount, from, to, date } });
  });
};
