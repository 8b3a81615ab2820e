/** The equity-plans module's public surface: what other modules may import. */
export { EquityPlansModule } from './equity-plans.module';
export { GrantsService } from './grants.service';
export { GrantTransactionsService } from './grant-transactions.service';
export { StockPlansService } from './stock-plans.service';
export { VestingTermsService } from './vesting-terms.service';
export * from './equity-export.service';
export * from './equity-plans.errors';
export { CreateGrantDto } from './dto/grant.dto';
export {
  CreateAccelerationDto,
  CreateExerciseDto,
  CreateGrantCancellationDto,
  CreateReleaseDto,
  CreateVestingEventDto,
  type GrantTransactionResultDto,
} from './dto/grant-transaction.dto';
export { CreatePoolAdjustmentDto, CreateStockPlanDto } from './dto/stock-plan.dto';
export { CreateVestingTermsDto } from './dto/vesting-terms.dto';
