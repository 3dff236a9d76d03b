import { defineParameterType } from '@cucumber/cucumber';

defineParameterType({
  name: 'status',
  regexp: /wip|blocked|pending_validation|completed/,
  transformer: (status: string) => status,
});

/** "EpicA, EpicB" (or "nothing") as a list of ids. */
export function idList(text: string): string[] {
  return text === 'nothing' || text === '' ? [] : text.split(/,\s*/);
}
