import { describe, expect, it } from 'vitest';
import { seedSpecExample } from '../helpers/api-routes.js';
import { sharedTestApp } from '../helpers/test-app.js';

const app = sharedTestApp();

describe('a trailing slash', () => {
  it.each(['/v1/epics', '/v1/backlog', '/v1/epics/EpicA', '/v1/epics/EpicA/bugs', '/v1/tasks', '/v1/export', '/livez'])(
    'never changes the route: GET %s/ is GET %s',
    async (url) => {
      await seedSpecExample(app());
      const plain = await app().inject(url);
      const slashed = await app().inject(`${url}/`);
      expect(plain.statusCode).toBe(200);
      expect(slashed.statusCode).toBe(200);
      expect(slashed.body).toBe(plain.body);
    },
  );

  it('is ignored on writes too', async () => {
    await seedSpecExample(app());
    const response = await app().inject({ method: 'POST', url: '/v1/epics/', payload: { id: 'EpicF' } });
    expect(response.statusCode).toBe(201);
    expect((await app().inject('/v1/epics/EpicF')).statusCode).toBe(200);
  });
});
