import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';

/**
 * SPEC section 4: an unknown query parameter is a 400 naming it, since a misspelt
 * filter (`?status[]=wip`, `?bugid=`) would otherwise answer a plausible, wrong list.
 * Applies to every documented route registered from now on but the probes; a route
 * without a query string schema takes no parameter at all.
 */
function refuseUnknownQueryParameters(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema;
    if (!schema || schema.hide || route.config?.probe) return;
    const shape = schema.querystring instanceof z.ZodObject ? schema.querystring.shape : {};
    const known = Object.keys(shape);
    schema.querystring = z.strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown query parameter ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}; ${
              known.length > 0 ? `this route takes ${known.join(', ')}` : 'this route takes none'
            }`
          : undefined,
    });
  });
}

/** Named, so that the plugins of documented routes can depend on it being registered first. */
export const unknownQueryParameters = fp(async (app) => refuseUnknownQueryParameters(app), {
  name: 'unknown-query-parameters',
});
