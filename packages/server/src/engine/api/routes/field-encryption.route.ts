import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, requestFacts } from '../../audit/audit.ts';
import { AppError } from '../../errors.ts';
import { enqueueJob } from '../../jobs/index.ts';
import { assertTitleNotEncrypted } from '../../metadata/field-semantics.ts';
import { assertValid } from '../../metadata/validate-definition.ts';
import { assertWorkspaceAdmin } from '../../permissions/guards.ts';
import { checkFieldEncryptable, ENCRYPT_FIELD_JOB, type EncryptFieldPayload } from '../../records/encrypt-field.job.ts';
import { getContext, getObjectOrThrow, type EngineServices } from '../context.ts';
import { encryptFieldAcceptedSchema, encryptFieldParams } from './field-encryption.schemas.ts';

/** Turning encryption on for a field that holds data: checked here, done by a job (records/encrypt-field.job.ts). */
export const registerFieldEncryptionRoute = (app: FastifyInstance, services: EngineServices) => {
  const db = services.database.db;
  const adminOnly = async (request: FastifyRequest) => assertWorkspaceAdmin(db, getContext(request).principal);

  app.post<{ Params: { object: string; field: string } }>(
    '/metadata/objects/:object/fields/:field/encrypt',
    { config: { licenceFeatures: ['metadata.admin'] }, schema: { params: encryptFieldParams, response: { 202: encryptFieldAcceptedSchema } }, preHandler: adminOnly },
    async (request, reply) => {
      const { workspace, actorId } = getContext(request);
      const object = getObjectOrThrow(workspace, request.params.object);
      const field = object.fieldsByName.get(request.params.field);
      if (!field) throw new AppError('FIELD_NOT_FOUND', `Object "${object.name}" has no field "${request.params.field}".`);
      assertTitleNotEncrypted(object, { name: field.name, options: { ...field.options, encrypted: true } }, 'name');
      assertValid(checkFieldEncryptable(object, field));
      // One job per field, whatever happens to it: asking twice answers the same job.
      const job = await enqueueJob<EncryptFieldPayload>(db, { type: ENCRYPT_FIELD_JOB, workspaceId: workspace.id, payload: { workspaceId: workspace.id, fieldId: field.id }, key: `${ENCRYPT_FIELD_JOB}:${field.id}`, maxAttempts: 3 });
      await recordAudit(db, { workspaceId: workspace.id, actorId, action: 'metadata.field.encryption_requested', objectName: object.name, ...requestFacts(request), details: { field: field.name, jobId: job.id } });
      return reply.status(202).send({ job: { id: job.id, type: job.type, status: job.status } });
    },
  );
};
