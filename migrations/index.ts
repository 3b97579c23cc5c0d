import { InitialSchema1764403200000 } from './1764403200000-InitialSchema.js';
import { SchedulerPendingRuns1764500000000 } from './1764500000000-SchedulerPendingRuns.js';
import { JobCoherenceChecks1795936579638 } from './1795936579638-JobCoherenceChecks.js';
import { HotSlotClaims1796000000000 } from './1796000000000-HotSlotClaims.js';
import { RetentionWithoutCount1796100000000 } from './1796100000000-RetentionWithoutCount.js';
import { ReplicaSessions1796200000000 } from './1796200000000-ReplicaSessions.js';
import { JobPause1796300000000 } from './1796300000000-JobPause.js';
import { ScheduleControls1796310000000 } from './1796310000000-ScheduleControls.js';
import { CalendarsAndBackfills1796400000000 } from './1796400000000-CalendarsAndBackfills.js';
import { ApiConventions1796600000000 } from './1796600000000-ApiConventions.js';
import { ListSearchAndTotals1796800000000 } from './1796800000000-ListSearchAndTotals.js';
import { Alerting1796500000000 } from './1796500000000-Alerting.js';
import { VersionedCalendarsAndChannels1796900000000 } from './1796900000000-VersionedCalendarsAndChannels.js';
import { SearchIndexesWithoutPendingList1797000000000 } from './1797000000000-SearchIndexesWithoutPendingList.js';

/**
 * Every migration, oldest first. Listed explicitly (not globbed) so the app, the TypeORM CLI and
 * the tests (which run TypeScript sources) load exactly the same set.
 */
export const migrations = [
  InitialSchema1764403200000,
  SchedulerPendingRuns1764500000000,
  JobCoherenceChecks1795936579638,
  HotSlotClaims1796000000000,
  RetentionWithoutCount1796100000000,
  ReplicaSessions1796200000000,
  JobPause1796300000000,
  ScheduleControls1796310000000,
  CalendarsAndBackfills1796400000000,
  Alerting1796500000000,
  ApiConventions1796600000000,
  ListSearchAndTotals1796800000000,
  VersionedCalendarsAndChannels1796900000000,
  SearchIndexesWithoutPendingList1797000000000,
];
