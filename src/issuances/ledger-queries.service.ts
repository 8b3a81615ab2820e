import { LineageDto } from './dto/lineage.dto';
import { Injectable } from '@nestjs/common';
import type {
  LedgerTransactionDto,
  TransactionPageDto,
  TransactionQueryDto,
} from './dto/ledger.dto';
import { toIssuanceResponse } from './issuance-views';
import { IssuanceNotFoundError, TransactionNotFoundError } from './issuances.errors';
import { issuanceFromRow } from './issuances.service';
import { decodeCursor, encodeCursor, toLedgerTransactionDto } from './ledger-views';
import { LedgerRepository } from './persistence/ledger.repository';

/** Reading the stock ledger: its transactions, and the lineage of a security. */
@Injectable()
export class LedgerQueries {
  constructor(private readonly repository: LedgerRepository) {}

  async findTransaction(id: string): Promise<LedgerTransactionDto> {
    const row = await this.repository.transaction(id);
    if (!row) throw new TransactionNotFoundError(id);
    return toLedgerTransactionDto(row);
  }

  async transactions(query: TransactionQueryDto): Promise<TransactionPageDto> {
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.repository.page(
      {
        kind: query.kind,
        shareholderId: query.shareholder_id,
        shareClassId: query.share_class_id,
        securityId: query.security_id,
        from: query.from,
        to: query.to,
        recordedFrom: query.recorded_from,
        recordedTo: query.recorded_to,
      },
      query.limit + 1,
      cursor,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toLedgerTransactionDto),
      next_cursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  async lineage(securityId: string): Promise<LineageDto> {
    const { securities, transactions } = await this.repository.lineage(securityId);
    if (securities.length === 0) throw new IssuanceNotFoundError(securityId);
    return {
      security_id: securityId,
      securities: securities.map((row) => toIssuanceResponse(issuanceFromRow(row))),
      transactions: transactions.map(toLedgerTransactionDto),
      outstanding_security_ids: securities
        .filter((row) => row.status === 'OUTSTANDING')
        .map((row) => row.id),
    };
  }
}
