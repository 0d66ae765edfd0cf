export { ManualClock, systemClock, type Clock } from './clock';
export { DAY_MS, nextUtcTime, schedule, type ScheduledTask, type ScheduleOptions } from './schedule';
