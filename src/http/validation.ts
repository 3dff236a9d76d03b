import { validatorCompiler } from '@fastify/type-provider-zod';
import { type InvalidField, RequestInvalid } from './http-errors.js';

type ZodSchemaCompiler = typeof validatorCompiler;

/**
 * The zod validator, bounded: a body of a few hundred thousand invalid items
 * makes zod itself overflow the stack, which Fastify would answer with a 500.
 */
export const boundedValidatorCompiler: ZodSchemaCompiler = (route) => {
  const validate = validatorCompiler(route);
  return (data) => {
    try {
      return validate(data);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      const part = (route.httpPart ?? 'body') as InvalidField['in'];
      return { error: new RequestInvalid([{ in: part, path: '/', message: 'has too many invalid values to list' }]) };
    }
  };
};
