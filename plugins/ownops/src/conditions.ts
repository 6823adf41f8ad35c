import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_ENVIRONMENTS } from '@ownops/backstage-plugin-common';

/**
 * Whether the entity declares Ownops environments; use it to show the
 * Deployments tab only where it has something to show.
 *
 * @public
 */
export function isOwnopsAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_ENVIRONMENTS]);
}
