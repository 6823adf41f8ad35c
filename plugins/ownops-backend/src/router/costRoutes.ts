import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ownopsCostIngestPermission,
  ownopsCostReadAllPermission,
} from '@ownops/backstage-plugin-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { CostIngestion } from '../cost/ingest/CostIngestion';
import { breakdownCsv } from '../cost/query/breakdownCsv';
import { CostService } from '../cost/query/CostService';
import {
  costBreakdownQuery,
  emptyBody,
  entityCostQuery,
  parse,
  unallocatedCostQuery,
} from './schemas';
import { Audited } from './audited';

export interface CostRoutesOptions {
  costs: CostService;
  ingestion: CostIngestion;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  entityRefOf: (req: Request) => string;
  audited: Audited;
}

/** Cost reads for owners and finance, and cost ingestion. */
export function costRoutes(options: CostRoutesOptions): express.Router {
  const { costs, ingestion, permissions, httpAuth, entityRefOf, audited } =
    options;
  const router = Router();
  const readCredentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/entities/:kind/:namespace/:name/cost', async (req, res) => {
    const query = parse(entityCostQuery, req.query, 'query');
    res.json(
      await costs.getEntityCost(
        entityRefOf(req),
        query,
        await readCredentials(req),
      ),
    );
  });

  router.get('/cost/breakdown', async (req, res) => {
    const { format, ...query } = parse(costBreakdownQuery, req.query, 'query');
    const breakdown = await costs.getBreakdown(
      query,
      await readCredentials(req),
    );
    if (format === 'csv') {
      res
        .type('text/csv')
        .attachment(
          `ownops-cost-${breakdown.groupBy}-${breakdown.from}-${breakdown.to}.csv`,
        )
        .send(breakdownCsv(breakdown));
      return;
    }
    res.json(breakdown);
  });

  router.get('/cost/unallocated', async (req, res) => {
    const query = parse(unallocatedCostQuery, req.query, 'query');
    res.json(await costs.getUnallocated(query, await readCredentials(req)));
  });

  router.get('/cost/ingestion', async (req, res) => {
    const credentials = await readCredentials(req);
    const decisions = await permissions.authorize(
      [
        { permission: ownopsCostReadAllPermission },
        { permission: ownopsCostIngestPermission },
      ],
      { credentials },
    );
    if (decisions.every(d => d.result !== AuthorizeResult.ALLOW)) {
      throw new NotAllowedError(
        `You may not see cost ingestion (permission ${ownopsCostReadAllPermission.name} or ${ownopsCostIngestPermission.name})`,
      );
    }
    res.json(await ingestion.status());
  });

  router.post('/cost/ingestion', async (req, res) => {
    const runs = await audited('cost-ingestion-start', req, {}, async () => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      parse(emptyBody, req.body ?? {}, 'body');
      const [decision] = await permissions.authorize(
        [{ permission: ownopsCostIngestPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You may not start cost ingestion (permission ${ownopsCostIngestPermission.name}); ask finance or a platform engineer`,
        );
      }
      return ingestion.startAll(credentials.principal.userEntityRef);
    });
    res.status(202).json({ runs });
  });

  return router;
}
