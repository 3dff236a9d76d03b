/**
 * A DAG beside the SPEC example: EpicS is linked from EpicQ and EpicR (shared), the
 * chain EpicP → EpicQ → EpicS → EpicT is four deep, and BugT1 is reported both at the
 * bottom of that chain and in the separate root EpicU, so it has two highest epics.
 * The dashboard's browser tests and its unit tests both use it.
 */
export const DAG = {
  EpicP: { Tasks: [], Bugs: [], Epics: ['EpicQ', 'EpicR'] },
  EpicQ: { Tasks: [], Bugs: [], Epics: ['EpicS'] },
  EpicR: { Tasks: ['TaskR1'], Bugs: [], Epics: ['EpicS'] },
  EpicS: { Tasks: [], Bugs: ['BugS1'], Epics: ['EpicT'] },
  EpicT: { Tasks: ['TaskT1'], Bugs: ['BugT1'], Epics: [] },
  EpicU: { Tasks: [], Bugs: ['BugT1'], Epics: [] },
};
