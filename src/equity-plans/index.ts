/** The equity-plans module's public surface: what other modules may import. */
export { EquityPlansModule } from './equity-plans.module';
export { GrantsService } from './grants.service';
