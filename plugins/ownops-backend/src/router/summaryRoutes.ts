import { HttpAuthService } from '@backstage/backend-plugin-api';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { SummaryService } from '../summary/SummaryService';
import { entityRefOfParts } from './schemas';

export interface SummaryRoutesOptions {
  summaries: Pick<SummaryService, 'getEntitySummary' | 'getGroupSummary'>;
  httpAuth: HttpAuthService;
  /** The entity ref of `:kind/:namespace/:name`, or an InputError. */
  entityRefOf: (req: Request) => string;
}

/**
 * The summary of an entity and of a group. Each section comes back on its
 * own: a failing section is named in the 200 response; only an entity the
 * caller cannot see is a 404.
 */
export function summaryRoutes(options: SummaryRoutesOptions): express.Router {
  const { summaries, httpAuth, entityRefOf } = options;
  const router = Router();
  const readCredentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/entities/:kind/:namespace/:name/summary', async (req, res) => {
    const credentials = await readCredentials(req);
    res.json(await summaries.getEntitySummary(entityRefOf(req), credentials));
  });

  router.get('/groups/:namespace/:name/summary', async (req, res) => {
    const credentials = await readCredentials(req);
    res.json(await summaries.getGroupSummary(groupRefOf(req), credentials));
  });

  return router;
}

function groupRefOf(req: Request): string {
  const { namespace, name } = req.params;
  return entityRefOfParts({ kind: 'group', namespace, name }, 'group');
}
