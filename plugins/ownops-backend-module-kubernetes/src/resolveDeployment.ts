import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_OWNOPS_KUBERNETES_CONTAINER,
  entityWorkload,
} from './entityWorkload';
import { KubernetesClient } from './kubernetes/KubernetesClient';
import { Container, Deployment, PodTemplateSpec } from './kubernetes/types';

/** The entity's Deployment in one environment and the container Ownops versions. */
export interface ResolvedDeployment {
  deployment: Deployment;
  namespace: string;
  labelSelector: string;
  container: Container & { image: string };
}

/**
 * Finds the one Deployment matching the entity's label selector in its
 * namespace, and the container whose image tag is the version.
 */
export async function resolveDeployment(options: {
  client: KubernetesClient;
  entity: Entity;
  environment: string;
  defaultNamespace?: string;
  targetId: string;
  signal: AbortSignal;
}): Promise<ResolvedDeployment> {
  const { client, signal } = options;
  const workload = entityWorkload(
    options.entity,
    options.environment,
    options.defaultNamespace,
    options.targetId,
  );
  const { namespace, labelSelector } = workload;
  const deployments = await client.listDeployments(
    namespace,
    labelSelector,
    signal,
  );
  const where = `label selector "${labelSelector}" in namespace "${namespace}" of cluster "${client.clusterName}"`;
  if (deployments.length === 0) {
    throw new Error(
      `No Deployment matches the ${where}; check the entity's annotations and that the Deployment carries those labels`,
    );
  }
  if (deployments.length > 1) {
    throw new Error(
      `${deployments.length} Deployments match the ${where} (${deployments
        .map(d => d.metadata.name)
        .join(
          ', ',
        )}); narrow the backstage.io/kubernetes-label-selector annotation so exactly one matches`,
    );
  }
  const deployment = deployments[0];
  deployment.metadata.namespace ??= namespace;
  return {
    deployment,
    namespace,
    labelSelector,
    container: pickContainer(deployment, workload.container),
  };
}

/** The named container, or the only one; the image must be set. */
export function pickContainer(
  deployment: Deployment,
  name: string | undefined,
): Container & { image: string } {
  const containers = deployment.spec.template.spec?.containers ?? [];
  const names = containers.map(c => c.name).join(', ');
  const what = `Deployment "${deployment.metadata.name}"`;
  let container: Container | undefined;
  if (name) {
    container = containers.find(c => c.name === name);
    if (!container) {
      throw new Error(
        `${what} has no container "${name}" (named by the ${ANNOTATION_OWNOPS_KUBERNETES_CONTAINER} annotation); its containers are: ${names}`,
      );
    }
  } else if (containers.length === 1) {
    container = containers[0];
  } else {
    throw new Error(
      `${what} has ${containers.length} containers (${names}); add the annotation ${ANNOTATION_OWNOPS_KUBERNETES_CONTAINER} naming the one whose image tag is the version`,
    );
  }
  if (!container.image) {
    throw new Error(`Container "${container.name}" of ${what} has no image`);
  }
  return container as Container & { image: string };
}

/** The image of a named container in a pod template. */
export function imageInTemplate(
  template: PodTemplateSpec,
  container: string,
): string | undefined {
  return template.spec?.containers?.find(c => c.name === container)?.image;
}
