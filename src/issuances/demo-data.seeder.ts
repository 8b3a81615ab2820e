import { Injectable, Logger } from '@nestjs/common';
import type { ActionContext } from '../core/http/action-context';
import { ShareholdersService, ShareholderType } from '../shareholders';
import { CompanyService } from './company.service';
import { IssuancesService } from './issuances.service';
import { ShareClassesService } from './share-classes.service';
import { ShareClassType } from './share-class.entity';

const SEED_CONTEXT: ActionContext = {
  principal: {
    sub: 'system:demo-seed',
    username: 'demo-seed',
    emailVerified: false,
    realmRoles: [],
    roles: [],
    clientId: 'corporate-os',
    serviceAccount: true,
    actorName: 'demo-seed',
  },
  meta: { requestId: 'demo-seed', ip: '127.0.0.1' },
};

/**
 * Demo data for newcomers (SEED_DEMO_DATA=true): a company, a common and a preferred class, and
 * holders whose emails match the realm's shareholder1 and shareholder2, so both see their holdings
 * after their first login. Runs only on an empty database and goes through the real services.
 */
const DEMO_COMPANY = {
  legal_name: 'Acme Robotics Ltd',
  country: 'GB',
  formation_date: '2019-05-01',
  default_currency: 'EUR',
};

const DEMO_COMMON = {
  name: 'Common',
  type: ShareClassType.Common,
  authorized_shares: 10_000_000,
  par_value: '0.0001',
  votes_per_share: 1,
  certificate_prefix: 'CS',
  seniority: 0,
};

const DEMO_SERIES_A = {
  name: 'Series A Preferred',
  type: ShareClassType.Preferred,
  authorized_shares: 2_000_000,
  par_value: '0.0001',
  votes_per_share: 1,
  certificate_prefix: 'PA',
  seniority: 1,
  legend_text: 'Series A Preferred shares are subject to the Investors’ Rights Agreement.',
};

const DEMO_HOLDERS = [
  { name: 'Grace Hopper', email: 'shareholder1@example.com', tax_id: 'US123456789' },
  { name: 'Katherine Johnson', email: 'shareholder2@example.com', tax_id: 'US987654321' },
  {
    name: 'Northwind Ventures LP',
    email: 'captable@northwind.example',
    type: ShareholderType.Institution,
  },
];

/** The demo ledger: four issuances over the two classes. */
function demoLedger(
  grace: string,
  katherine: string,
  northwind: string,
  common: string,
  seriesA: string,
) {
  return [
    {
      holder: grace,
      shareClass: common,
      shares: 4_000_000,
      price: '0.0001',
      date: '2019-05-01',
    },
    {
      holder: katherine,
      shareClass: common,
      shares: 3_000_000,
      price: '0.0001',
      date: '2019-05-01',
    },
    {
      holder: katherine,
      shareClass: common,
      shares: 250_000,
      price: '0.45',
      date: '2022-02-14',
    },
    {
      holder: northwind,
      shareClass: seriesA,
      shares: 1_500_000,
      price: '1.3333',
      date: '2021-09-30',
    },
  ];
}

@Injectable()
export class DemoDataSeeder {
  private readonly logger = new Logger(DemoDataSeeder.name);

  constructor(
    private readonly company: CompanyService,
    private readonly shareClasses: ShareClassesService,
    private readonly shareholders: ShareholdersService,
    private readonly issuances: IssuancesService,
  ) {}

  async seedIfEmpty(): Promise<boolean> {
    if (await this.company.exists()) return false;
    await this.company.put(DEMO_COMPANY, SEED_CONTEXT);
    const [common, seriesA] = [
      await this.shareClasses.create(DEMO_COMMON, SEED_CONTEXT),
      await this.shareClasses.create(DEMO_SERIES_A, SEED_CONTEXT),
    ];
    const [grace, katherine, northwind] = await Promise.all(
      DEMO_HOLDERS.map((h) => this.shareholders.create(h, SEED_CONTEXT)),
    );
    if (!grace || !katherine || !northwind) throw new Error('demo holders were not created');
    const ledger = demoLedger(grace.id, katherine.id, northwind.id, common.id, seriesA.id);
    for (const entry of ledger) {
      await this.issuances.issue(
        {
          shareholder_id: entry.holder,
          share_class_id: entry.shareClass,
          number_of_shares: entry.shares,
          price: entry.price,
          date: entry.date,
        },
        SEED_CONTEXT,
      );
    }
    this.logger.log(
      'Demo data loaded: Acme Robotics Ltd with 2 share classes, 3 holders and 4 issuances',
    );
    return true;
  }
}
