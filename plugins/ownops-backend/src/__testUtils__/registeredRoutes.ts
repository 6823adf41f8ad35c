import { createRouter, RouterOptions } from '../router/createRouter';

/**
 * Every route the Ownops router registers, as `method /path/:param`, walked
 * from its Express stack (routers mounted inside it included), so a test
 * that lists the routes it covers notices a new one.
 */
export async function registeredRoutes(): Promise<string[]> {
  const router = await createRouter({
    costs: {},
    onCall: {},
  } as unknown as RouterOptions);
  const routes: string[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          routes.push(`${method} ${layer.route.path}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((router as any).stack);
  return routes.sort();
}
