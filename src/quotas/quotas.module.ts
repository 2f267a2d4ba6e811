import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { QuotaLedger } from './quota-ledger';
import { QuotaReservations } from './quota-reservations';
import {
  QuotaLedgerEntry,
  QuotaLedgerSchema,
  QuotaLimitsRecord,
  QuotaLimitsSchema,
  QuotaReservationRecord,
  QuotaReservationSchema,
} from './quota.schemas';
import { AdminQuotaController, QuotaController } from './quotas.controller';
import { QuotasService } from './quotas.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: QuotaLimitsRecord.name, schema: QuotaLimitsSchema },
      { name: QuotaLedgerEntry.name, schema: QuotaLedgerSchema },
      { name: QuotaReservationRecord.name, schema: QuotaReservationSchema },
    ]),
  ],
  controllers: [QuotaController, AdminQuotaController],
  providers: [QuotasService, QuotaLedger, QuotaReservations],
  exports: [QuotasService],
})
export class QuotasModule {}
