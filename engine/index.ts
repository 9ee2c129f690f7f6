export * from './engine.ts';
export { migrate, MIGRATIONS, CURRENT_VERSIONS, type PersistedSnapshot } from './migrations.ts';
export { verify, type VerifyReport } from './verify.ts';
export { CampaignService, unitEntityId } from './campaign-service.ts';
export { simulate, type SimulationOptions, type SimulationResult, type ForbiddenEvent } from './simulate.ts';
export { parseScenario, ScenarioSchema, type Scenario, type ScenarioEvent } from './scenario.ts';
export { seededRandom } from './random.ts';
export { generateScenario, type GenerateOptions } from './generate.ts';
export { ENTITIES, type EntityDefinition } from './entities.ts';
