import {
  AuditorService,
  AuthService,
  DatabaseService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';

/** The services each area of the plugin is built from. */
export interface OwnopsDeps {
  logger: LoggerService;
  config: RootConfigService;
  database: DatabaseService;
  scheduler: SchedulerService;
  auth: AuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  signals: SignalsService;
  notifications: NotificationService;
}
