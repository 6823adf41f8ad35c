import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ProviderHttpClient,
  ProviderRequestError,
  rewordProviderError,
} from '@ownops/backstage-plugin-node';
import { ArgoCdAppRef } from './appRef';
import { ArgoCdInstanceConfig, CONFIG_KEY } from './config';
import { APPLICATION_SHAPE, ArgoCdApplication } from './types';

/**
 * The Argo CD API calls the deploy target makes, with errors that say
 * what to do. Every call goes through {@link ProviderHttpClient}: a timeout
 * per attempt, bounded retries, no retry on permission errors, no token in
 * messages.
 */
export class ArgoCdClient {
  private readonly http: ProviderHttpClient;

  constructor(
    private readonly instance: ArgoCdInstanceConfig,
    options: { logger?: LoggerService; fetch?: typeof fetch } = {},
  ) {
    this.http = new ProviderHttpClient({
      provider: `Argo CD "${instance.id}"`,
      timeoutMs: instance.timeoutMs,
      secrets: [instance.token],
      logger: options.logger,
      fetch: options.fetch,
    });
  }

  /** The application, as Argo CD shows it in `GET /api/v1/applications/{name}`. */
  getApplication(
    app: ArgoCdAppRef,
    signal?: AbortSignal,
  ): Promise<ArgoCdApplication> {
    return this.call(app, () =>
      this.http.json<ArgoCdApplication>(
        `${this.applicationUrl(app)}${this.scopeQuery(app)}`,
        {
          headers: this.headers(),
          signal,
          shape: APPLICATION_SHAPE,
        },
      ),
    );
  }

  /** Starts a sync of the application to a revision. */
  sync(
    app: ArgoCdAppRef,
    revision: string,
    signal?: AbortSignal,
  ): Promise<ArgoCdApplication> {
    return this.post(
      app,
      'sync',
      {
        revision,
        prune: false,
        dryRun: false,
        syncOptions: { items: [] },
      },
      signal,
    );
  }

  /** Starts a rollback to the history entry with this id. */
  rollback(
    app: ArgoCdAppRef,
    id: number,
    signal?: AbortSignal,
  ): Promise<ArgoCdApplication> {
    return this.post(
      app,
      'rollback',
      { id, prune: false, dryRun: false },
      signal,
    );
  }

  /** Stops the application's running operation (`DELETE …/operation`). */
  async terminateOperation(app: ArgoCdAppRef, signal?: AbortSignal) {
    await this.call(app, () =>
      this.http.request(
        `${this.applicationUrl(app)}/operation${this.scopeQuery(app)}`,
        { method: 'DELETE', headers: this.headers(), signal },
      ),
    );
  }

  /** The application's page in the Argo CD UI. */
  uiUrl(app: ArgoCdAppRef, namespace?: string): string {
    const ns = namespace ?? app.namespace;
    return `${this.instance.baseUrl}/applications/${
      ns ? `${encodeURIComponent(ns)}/` : ''
    }${encodeURIComponent(app.name)}`;
  }

  private post(
    app: ArgoCdAppRef,
    action: 'sync' | 'rollback',
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<ArgoCdApplication> {
    // Argo CD reads the whole request from a POST body, not from the query.
    const scoped = {
      name: app.name,
      ...body,
      ...(app.namespace ? { appNamespace: app.namespace } : {}),
      ...(app.project ? { project: app.project } : {}),
    };
    return this.call(app, () =>
      this.http.json<ArgoCdApplication>(
        `${this.applicationUrl(app)}/${action}`,
        {
          method: 'POST',
          headers: { ...this.headers(), 'content-type': 'application/json' },
          body: JSON.stringify(scoped),
          signal,
          shape: APPLICATION_SHAPE,
        },
      ),
    );
  }

  /** `?appNamespace=…&project=…` for GET and DELETE calls; POSTs carry them in the body. */
  private scopeQuery(app: ArgoCdAppRef): string {
    const query = new URLSearchParams();
    if (app.namespace) query.set('appNamespace', app.namespace);
    if (app.project) query.set('project', app.project);
    return query.toString() ? `?${query}` : '';
  }

  private applicationUrl(app: ArgoCdAppRef): string {
    return `${this.instance.baseUrl}/api/v1/applications/${encodeURIComponent(
      app.name,
    )}`;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.instance.token}` };
  }

  private async call<T>(app: ArgoCdAppRef, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.explain(error, app);
    }
  }

  /** Adds what to do to the errors a user can fix. */
  private explain(error: unknown, app: ArgoCdAppRef): unknown {
    if (!(error instanceof ProviderRequestError) || error.rateLimited) {
      return error;
    }
    const id = this.instance.id;
    let advice: string | undefined;
    if (error.status === 401) {
      advice = `Argo CD ${id} did not accept the token: check ${CONFIG_KEY} "${id}" token (it may have expired or been revoked)`;
    } else if (error.status === 403 || error.status === 404) {
      advice = `application ${
        app.name
      } not found in Argo CD ${id} or the token may not read it: check the application name annotation${
        app.project
          ? ''
          : ', set argocd/project-name (or the instance\'s "project") so Argo CD can tell a missing application from a forbidden one'
      }, and that the token's account has "get" and "sync" on applications of project ${
        app.project ?? '(its project)'
      } in Argo CD RBAC`;
    }
    if (!advice) {
      return error;
    }
    return rewordProviderError(error, `${advice} (${error.message})`);
  }
}
