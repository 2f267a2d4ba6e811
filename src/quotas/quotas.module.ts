import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { QuotaLedgerEntry, QuotaLedgerSchema, QuotaLimitsRecord, QuotaLimitsSchema } from './quota.schemas';
import { AdminQuotaController, QuotaController } from './quotas.controller';
import { QuotasService } from './quotas.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: QuotaLimitsRecord.name, schema: QuotaLimitsSchema },
      { name: QuotaLedgerEntry.name, schema: QuotaLedgerSchema },
    ]),
  ],
  controllers: [QuotaController, AdminQuotaController],
  providers: [QuotasService],
  exports: [QuotasService],
})
export class QuotasModule {}
