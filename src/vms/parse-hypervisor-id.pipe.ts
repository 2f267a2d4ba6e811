import { HttpStatus, Injectable, PipeTransform } from '@nestjs/common';
import { AppException } from '../common/errors/app-exception';
import { ErrorCode } from '../contracts/error-code';

/** Hyper-V VM ids are GUIDs. */
@Injectable()
export class ParseHypervisorIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
      throw new AppException(HttpStatus.BAD_REQUEST, ErrorCode.InvalidId, `'${String(value).slice(0, 64)}' is not a Hyper-V VM id (a GUID)`);
    }
    return value.toLowerCase();
  }
}
