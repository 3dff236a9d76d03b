// Run with NODE_OPTIONS='--import tsx' (npm run test:features), which loads the TypeScript support and steps.
export default {
  paths: ['features/*.feature'],
  import: ['features/support/*.ts', 'features/steps/*.ts'],
  // Undefined, pending or ambiguous steps fail the run.
  strict: true,
  format: ['progress'],
  formatOptions: { snippetInterface: 'async-await' },
};
