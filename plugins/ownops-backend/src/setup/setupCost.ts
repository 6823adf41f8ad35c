import {
  readCostClock,
  readOwnerTagPolicy,
} from '@ownops/backstage-plugin-common';
import { CostSource, FocusExportSource } from '@ownops/backstage-plugin-node';
import { assertUniqueIds } from '../assertUniqueIds';
import { BudgetAlertChecker } from '../cost/budgets/BudgetAlertChecker';
import { readBudgetAlertConfig } from '../cost/budgets/config';
import { readCostConfig } from '../cost/config';
import { CostIngestion } from '../cost/ingest/CostIngestion';
import { CostService } from '../cost/query/CostService';
import { FocusFilesCostSource } from '../cost/sources/FocusFilesCostSource';
import { DatabaseBudgetAlertStore } from '../database/DatabaseBudgetAlertStore';
import { DatabaseBudgetStore } from '../database/DatabaseBudgetStore';
import { DatabaseCostStore } from '../database/DatabaseCostStore';
import { TaskTracking, trackedTask } from '../health/trackedTask';
import { BudgetService } from '../service/BudgetService';
import { OwnopsDeps } from './OwnopsDeps';

/** Cost sources and their scheduled ingestion, budgets and budget alerts. */
export async function setupCost(
  deps: OwnopsDeps,
  modules: { sources: CostSource[]; exportSources: FocusExportSource[] },
  tracking: TaskTracking,
) {
  const { logger, config, auth, catalog } = deps;
  const costConfig = readCostConfig(config);
  const costNow = readCostClock(config);
  const costStore = await DatabaseCostStore.create({
    database: deps.database,
  });
  const budgetStore = await DatabaseBudgetStore.create({
    database: deps.database,
  });
  const sources = assertUniqueIds(
    [
      ...costConfig.focusFiles.map(
        source =>
          new FocusFilesCostSource(source.id, source.path, {
            tagColumns: source.tagColumns,
          }),
      ),
      ...modules.exportSources,
      ...modules.sources,
    ],
    'cost sources',
    'ownops.cost.focusFiles[].id and modules',
  );
  const ingestion = new CostIngestion({
    sources,
    store: costStore,
    keys: readOwnerTagPolicy(config).keys,
    logger,
    auditor: deps.auditor,
    options: costConfig.ingestion,
    troubles: tracking.troubles,
  });
  if (sources.length > 0) {
    await deps.scheduler.scheduleTask({
      id: 'ownops-cost-ingestion',
      scope: 'global',
      ...costConfig.ingestionSchedule,
      fn: trackedTask('ownops-cost-ingestion', tracking, async () => {
        const runs = await ingestion.runAll();
        const failed = runs.filter(run => run.status === 'failed');
        if (failed.length > 0) {
          throw new Error(
            `Ingestion failed for ${failed
              .map(run => `${run.source}: ${run.error}`)
              .join('; ')}`,
          );
        }
      }),
    });
  }

  const budgets = new BudgetService({
    store: budgetStore,
    costs: costStore,
    catalog,
    permissions: deps.permissions,
    auth,
    logger,
    now: costNow,
  });
  const budgetAlerts = new BudgetAlertChecker({
    budgets: budgetStore,
    alerts: await DatabaseBudgetAlertStore.create({
      database: deps.database,
    }),
    costs: costStore,
    catalog,
    auth,
    notifications: deps.notifications,
    auditor: deps.auditor,
    logger,
    config: readBudgetAlertConfig(config),
  });
  await deps.scheduler.scheduleTask({
    id: 'ownops-budget-alerts',
    scope: 'global',
    ...costConfig.budgetCheckSchedule,
    fn: trackedTask('ownops-budget-alerts', tracking, async () => {
      await budgetAlerts.check(costNow());
    }),
  });

  const costs = new CostService({
    store: costStore,
    catalog,
    permissions: deps.permissions,
    budgetStatusOf: entity => budgets.getReadableBudgetStatus(entity),
    budgets: credentials => budgets.listBudgets(credentials),
    now: costNow,
  });
  return { costs, ingestion, budgets, costNow };
}
