import { DeployTargetInfo } from '@ownops/backstage-plugin-common';
import { DeployTarget } from '@ownops/backstage-plugin-node';
import { redactingDeployTarget } from '../secrets/redactingDeployTarget';
import { Redact, redactorOf } from '../secrets/redactSecrets';

/**
 * The deploy targets known to this backend, by id. Each is wrapped so that
 * the secrets the redactor knows never leave it in logs, reasons, errors
 * or listings.
 */
export class DeployTargetRegistry {
  private readonly targets = new Map<string, DeployTarget>();
  private readonly redact: Redact;

  constructor(options: { redact?: Redact } = {}) {
    this.redact = options.redact ?? redactorOf([]);
  }

  add(target: DeployTarget): void {
    if (!target.id) {
      throw new Error(`A deploy target of type "${target.type}" has no id`);
    }
    if (this.targets.has(target.id)) {
      throw new Error(
        `Duplicate Ownops deploy target id "${target.id}" (types "${
          this.targets.get(target.id)!.type
        }" and "${target.type}"); every target needs a unique id`,
      );
    }
    this.targets.set(target.id, redactingDeployTarget(target, this.redact));
  }

  get(id: string): DeployTarget | undefined {
    return this.targets.get(id);
  }

  ids(): string[] {
    return [...this.targets.keys()];
  }

  /** Id and, where the target has one, title of each target in the order they were added. */
  list(): DeployTargetInfo[] {
    return [...this.targets.values()].map(target =>
      target.title?.trim()
        ? { id: target.id, title: target.title }
        : { id: target.id },
    );
  }
}
