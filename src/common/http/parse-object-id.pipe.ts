import { HttpStatus, Injectable, PipeTransform } from '@nestjs/common';
import { ErrorCode } from '../../contracts/error-code';
import { AppException } from '../errors/app-exception';

@Injectable()
export class ParseObjectIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[0-9a-f]{24}$/i.test(value)) {
      throw new AppException(HttpStatus.BAD_REQUEST, ErrorCode.InvalidId, `'${String(value).slice(0, 64)}' is not a valid id`);
    }
    return value.toLowerCase();
  }
}
