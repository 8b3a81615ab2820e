/** The companies module's public surface: what other modules (and the composition root) import. */
export { CompaniesModule } from './companies.module';
export { DemoMembersSeeder, DEMO_MEMBERS } from './demo-members.seeder';
