import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { JsonObject } from '@backstage/types';
import { BudgetService } from '../service/BudgetService';
import { costRoutes, CostRoutesOptions } from './costRoutes';
import { healthRoutes, HealthRoutesOptions } from './healthRoutes';
import { onCallRoutes, OnCallRoutesOptions } from './onCallRoutes';
import { summaryRoutes, SummaryRoutesOptions } from './summaryRoutes';
import { budgetAuditMeta } from '../service/budgetInput';
import { DeploymentService } from '../service/DeploymentService';
import { DeployTargetRegistry } from '../targets/DeployTargetRegistry';
import {
  budgetsQuery,
  createDeploymentBody,
  deploymentId,
  emptyBody,
  entityRefOfParts,
  idempotencyKey,
  listDeploymentsQuery,
  logsQuery,
  parse,
  rollbackBody,
  statsQuery,
} from './schemas';

const MAX_BODY = '16kb';

export interface RouterOptions {
  service: DeploymentService;
  budgets: BudgetService;
  summaries: SummaryRoutesOptions['summaries'];
  costs: Omit<CostRoutesOptions, 'httpAuth' | 'entityRefOf' | 'audited'>;
  targets: DeployTargetRegistry;
  onCall: Omit<OnCallRoutesOptions, 'httpAuth' | 'entityRefOf' | 'audited'>;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  health: Omit<HealthRoutesOptions, 'httpAuth'>;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { service, budgets, targets, httpAuth, auditor } = options;
  const router = Router();
  router.use(express.json({ limit: MAX_BODY }));

  const readCredentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const userCredentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  /** Runs a change inside an audit event that records its outcome. */
  async function audited<T>(
    eventId: string,
    req: Request,
    meta: JsonObject,
    change: () => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      request: req,
      severityLevel: 'medium',
      meta,
    });
    try {
      const result = await change();
      await event.success({ meta: describeResult(result) });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  router.get(
    '/entities/:kind/:namespace/:name/environments',
    async (req, res) => {
      res.json(
        await service.getEnvironments(
          entityRefOf(req),
          await readCredentials(req),
        ),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/environments/:environment/versions',
    async (req, res) => {
      res.json(
        await service.listVersions(
          entityRefOf(req),
          req.params.environment,
          await readCredentials(req),
        ),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/environments/:environment/external-deployments',
    async (req, res) => {
      res.json(
        await service.listExternalDeployments(
          entityRefOf(req),
          req.params.environment,
          await readCredentials(req),
        ),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/deployments',
    async (req, res) => {
      const query = parse(listDeploymentsQuery, req.query, 'query');
      res.json(
        await service.listDeployments(
          entityRefOf(req),
          query,
          await readCredentials(req),
        ),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/deployment-stats',
    async (req, res) => {
      const { days } = parse(statsQuery, req.query, 'query');
      res.json(
        await service.getStats(
          entityRefOf(req),
          days,
          await readCredentials(req),
        ),
      );
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/deployments',
    async (req, res) => {
      const entityRef = entityRefOf(req);
      const key = parse(
        idempotencyKey,
        req.header('idempotency-key'),
        'header',
      );
      const result = await audited(
        'deployment-create',
        req,
        { entityRef, request: asJson(req.body) },
        async () => {
          const credentials = await userCredentials(req);
          const body = parse(
            createDeploymentBody,
            req.body,
            'deployment request',
          );
          return service.createDeployment(entityRef, body, credentials, key);
        },
      );
      res.status(result.created ? 201 : 200).json(result.deployment);
    },
  );

  router.get('/deployments/:id', async (req, res) => {
    const id = parse(deploymentId, req.params.id, 'deployment id');
    res.json(await service.getDeployment(id, await readCredentials(req)));
  });

  router.get('/deployments/:id/logs', async (req, res) => {
    const id = parse(deploymentId, req.params.id, 'deployment id');
    const { after } = parse(logsQuery, req.query, 'query');
    res.json(await service.getLogs(id, after, await readCredentials(req)));
  });

  router.post('/deployments/:id/rollback', async (req, res) => {
    const id = parse(deploymentId, req.params.id, 'deployment id');
    const deployment = await audited(
      'deployment-rollback',
      req,
      { restoreDeploymentId: id, request: asJson(req.body) },
      async () => {
        const credentials = await userCredentials(req);
        const body = parse(rollbackBody, req.body ?? {}, 'rollback request');
        return service.rollbackTo(id, body, credentials);
      },
    );
    res.status(201).json(deployment);
  });

  router.post('/deployments/:id/approve', async (req, res) => {
    const id = parse(deploymentId, req.params.id, 'deployment id');
    parse(emptyBody, req.body ?? {}, 'approval');
    res.json(
      await audited('deployment-approve', req, { deploymentId: id }, async () =>
        service.approve(id, await userCredentials(req)),
      ),
    );
  });

  router.post('/deployments/:id/cancel', async (req, res) => {
    const id = parse(deploymentId, req.params.id, 'deployment id');
    parse(emptyBody, req.body ?? {}, 'cancellation');
    res.json(
      await audited('deployment-cancel', req, { deploymentId: id }, async () =>
        service.cancel(id, await userCredentials(req)),
      ),
    );
  });

  router.get('/deploy-targets', async (req, res) => {
    await readCredentials(req);
    res.json({ targets: targets.list() });
  });

  router.get('/budgets', async (req, res) => {
    const { month } = parse(budgetsQuery, req.query, 'query');
    res.json(
      await budgets.listBudgetStatuses(await readCredentials(req), month),
    );
  });

  router.get('/entities/:kind/:namespace/:name/budget', async (req, res) => {
    res.json(
      await budgets.getBudget(entityRefOf(req), await readCredentials(req)),
    );
  });

  router.put('/entities/:kind/:namespace/:name/budget', async (req, res) => {
    const entityRef = entityRefOf(req);
    res.json(
      await audited(
        'budget-update',
        req,
        budgetAuditMeta(entityRef, req.body),
        async () =>
          budgets.setBudget(entityRef, req.body, await userCredentials(req)),
      ),
    );
  });

  router.use(costRoutes({ ...options.costs, httpAuth, entityRefOf, audited }));
  router.use(
    summaryRoutes({ summaries: options.summaries, httpAuth, entityRefOf }),
  );
  router.use(
    onCallRoutes({ ...options.onCall, httpAuth, entityRefOf, audited }),
  );
  router.use(healthRoutes({ ...options.health, httpAuth }));

  return router;
}

function entityRefOf(req: Request): string {
  const { kind, namespace, name } = req.params;
  return entityRefOfParts({ kind, namespace, name });
}

function asJson(value: unknown): JsonObject {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (JSON.parse(JSON.stringify(value)) as JsonObject)
    : {};
}

function describeResult(result: unknown): JsonObject {
  const deployment =
    result && typeof result === 'object' && 'deployment' in result
      ? (result as { deployment: { id: number; status: string } }).deployment
      : (result as { id?: number; status?: string });
  return deployment?.id
    ? { deploymentId: deployment.id, status: deployment.status ?? 'unknown' }
    : {};
}
