import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsMongoId, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import {
  CreateImageRequest,
  Image,
  IMAGE_GENERATIONS,
  IMAGE_OS,
  IMAGE_VISIBILITIES,
  ImageGeneration,
  ImageHost,
  ImageOs,
  ImagePage,
  ImageVisibility,
  TenantImage,
  TenantImagePage,
  UpdateImageRequest,
} from '../contracts/images';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * Unlike `@IsOptional()`, lets only a missing field through, not `null`: a PATCH must not be able
 * to store null in a required field.
 */
const Omittable = () => ValidateIf((_object, value) => value !== undefined);

const IMAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const IMAGE_NAME_MESSAGE = 'name must be 1-63 letters, digits, dots, dashes or underscores, starting with a letter or digit';
/** A bare file name in the hosts' image library: no path separators, drive colon or characters Windows forbids. */
const IMAGE_FILE_NAME = /^[^\\/:*?"<>|\x00-\x1f]+\.vhdx$/i;
const IMAGE_FILE_NAME_MESSAGE = 'fileName must be a file name ending in .vhdx, without path separators or any of : * ? " < > |';
const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
const USER_NAME_MESSAGE = 'defaultUser must be 1-32 letters, digits, dots, dashes or underscores, not starting with a digit, dot or dash';
const MAX_DISK_GIB = 65_536;

export class CreateImageDto implements CreateImageRequest {
  /** Unique name tenants pick the image by, e.g. `ubuntu-24.04`. */
  @Transform(trim)
  @IsString()
  @Matches(IMAGE_NAME, { message: IMAGE_NAME_MESSAGE })
  name: string;

  @IsIn(IMAGE_OS)
  os: ImageOs;

  /** Hyper-V generation the disk boots in (2 = UEFI). */
  @IsIn(IMAGE_GENERATIONS)
  generation: ImageGeneration;

  /** The `.vhdx` in the hosts' image library, exactly as their inventory reports it. */
  @IsString()
  @MaxLength(255)
  @Matches(IMAGE_FILE_NAME, { message: IMAGE_FILE_NAME_MESSAGE })
  fileName: string;

  /** Smallest system disk a VM from this image may have. */
  @IsInt()
  @Min(1)
  @Max(MAX_DISK_GIB)
  minDiskGiB: number;

  /** The account cloud-init creates (omit when the image brings its own). */
  @Omittable()
  @IsString()
  @Matches(USER_NAME, { message: USER_NAME_MESSAGE })
  defaultUser?: string;

  /** Whether the image runs cloud-init (NoCloud seed); default true. */
  @Omittable()
  @IsBoolean()
  cloudInit?: boolean;

  /** Default `public`. */
  @Omittable()
  @IsIn(IMAGE_VISIBILITIES)
  visibility?: ImageVisibility;

  /** Required (at least one existing tenant) when visibility is `tenants`. */
  @Omittable()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsMongoId({ each: true })
  tenantIds?: string[];
}

export class UpdateImageDto implements UpdateImageRequest {
  @Omittable()
  @Transform(trim)
  @IsString()
  @Matches(IMAGE_NAME, { message: IMAGE_NAME_MESSAGE })
  name?: string;

  @Omittable()
  @IsIn(IMAGE_OS)
  os?: ImageOs;

  @Omittable()
  @IsIn(IMAGE_GENERATIONS)
  generation?: ImageGeneration;

  @Omittable()
  @IsString()
  @MaxLength(255)
  @Matches(IMAGE_FILE_NAME, { message: IMAGE_FILE_NAME_MESSAGE })
  fileName?: string;

  @Omittable()
  @IsInt()
  @Min(1)
  @Max(MAX_DISK_GIB)
  minDiskGiB?: number;

  /** null removes it. */
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsString()
  @Matches(USER_NAME, { message: USER_NAME_MESSAGE })
  defaultUser?: string | null;

  @Omittable()
  @IsBoolean()
  cloudInit?: boolean;

  /** Switching to `public` clears `tenantIds`. */
  @Omittable()
  @IsIn(IMAGE_VISIBILITIES)
  visibility?: ImageVisibility;

  /** Replaces the list. */
  @Omittable()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsMongoId({ each: true })
  tenantIds?: string[];
}

export class ImageHostDto implements ImageHost {
  id: string;
  name: string;
  status: ImageHost['status'];
}

export class ImageDto implements Image {
  id: string;
  name: string;
  os: ImageOs;
  generation: ImageGeneration;
  fileName: string;
  minDiskGiB: number;
  defaultUser: string | null;
  cloudInit: boolean;
  visibility: ImageVisibility;
  tenantIds: string[];
  /** Hosts whose last inventory lists `fileName`. */
  hosts: ImageHostDto[];
  /** ISO 8601 */
  createdAt: string;
  /** ISO 8601 */
  updatedAt: string;
}

export class ImagePageDto implements ImagePage {
  items: ImageDto[];
  total: number;
}

export class TenantImageDto implements TenantImage {
  id: string;
  name: string;
  os: ImageOs;
  generation: ImageGeneration;
  minDiskGiB: number;
  defaultUser: string | null;
  cloudInit: boolean;
  /** Some online host (not in maintenance) has the image, so a VM can be created from it now. */
  available: boolean;
}

export class TenantImagePageDto implements TenantImagePage {
  items: TenantImageDto[];
  total: number;
}
