import { HttpStatus, Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, isValidObjectId, Model, Types } from 'mongoose';
import { TENANT_DELETED, TenantDeletedEvent } from '../common/auth/auth-events';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../common/errors/duplicate-key';
import { literalPattern, PaginationQueryDto } from '../common/http/pagination.dto';
import { FieldError } from '../common/http/validation';
import { ErrorCode } from '../contracts/error-code';
import { ImageSpec, ImageVisibility } from '../contracts/images';
import { HostsService, HostSummary } from '../hosts/hosts.service';
import { TenantsService } from '../tenants/tenants.service';
import { CreateImageDto, ImageDto, ImagePageDto, TenantImageDto, TenantImagePageDto, UpdateImageDto } from './image.dto';
import { ImageDocument, ImageRecord } from './image.schemas';

/** The image catalog: VHDX templates, who may use them, and which hosts carry their file. */
@Injectable()
export class ImagesService {
  constructor(
    @InjectModel(ImageRecord.name) private readonly images: Model<ImageRecord>,
    private readonly hosts: HostsService,
    private readonly tenants: TenantsService,
  ) {}

  async create(input: CreateImageDto): Promise<ImageDto> {
    const visibility = input.visibility ?? 'public';
    const tenantIds = await this.checkedAudience(visibility, input.tenantIds);
    const { tenantIds: _given, ...fields } = input;
    let image: ImageDocument;
    try {
      image = await this.images.create({ ...fields, cloudInit: input.cloudInit ?? true, visibility, tenantIds });
    } catch (error) {
      throw duplicateNameOr(error, input.name);
    }
    return this.withHosts(image);
  }

  /**
   * Creates the image unless one of that name exists, quietly: platform seeding (the demo) runs on
   * every replica at boot, and the unique name decides which of two concurrent creations wins.
   */
  async ensureExists(input: CreateImageDto): Promise<void> {
    if (await this.images.exists({ name: input.name })) return;
    try {
      await this.create(input);
    } catch (error) {
      if (!(error instanceof AppException && error.code === ErrorCode.Conflict)) throw error;
    }
  }

  /** Filtered by name or file name. */
  async list(query: PaginationQueryDto): Promise<ImagePageDto> {
    const filter: FilterQuery<ImageRecord> = query.q ? { $or: [{ name: literalPattern(query.q) }, { fileName: literalPattern(query.q) }] } : {};
    const [images, total] = await Promise.all([this.images.find(filter).sort({ name: 1 }).skip(query.offset).limit(query.limit), this.images.countDocuments(filter)]);
    const hostsByFile = await this.hosts.hostsHavingImageFiles(images.map((image) => image.fileName));
    return { items: images.map((image) => toImageDto(image, hostsByFile.get(image.fileName) ?? [])), total };
  }

  async get(id: string): Promise<ImageDto> {
    return this.withHosts(await this.findOrFail(id));
  }

  async update(id: string, input: UpdateImageDto): Promise<ImageDto> {
    const image = await this.findOrFail(id);
    const { visibility, tenantIds, ...fields } = input;
    if (visibility !== undefined || tenantIds !== undefined) {
      const nextVisibility = visibility ?? image.visibility;
      const keptTenantIds = nextVisibility === 'tenants' ? image.tenantIds.map(String) : undefined;
      image.set({ visibility: nextVisibility, tenantIds: await this.checkedAudience(nextVisibility, tenantIds ?? keptTenantIds) });
    }
    image.set(definedOnly(fields));
    try {
      await image.save();
    } catch (error) {
      throw duplicateNameOr(error, image.name);
    }
    return this.withHosts(image);
  }

  async remove(id: string): Promise<void> {
    const { deletedCount } = await this.images.deleteOne({ _id: id });
    if (deletedCount === 0) throw AppException.notFound('Image');
  }

  /** The images a tenant may use: public ones and those shared with it. */
  async listForTenant(tenantId: string, query: PaginationQueryDto): Promise<TenantImagePageDto> {
    const filter: FilterQuery<ImageRecord> = { ...visibleTo(tenantId), ...(query.q ? { name: literalPattern(query.q) } : {}) };
    const [images, total] = await Promise.all([this.images.find(filter).sort({ name: 1 }).skip(query.offset).limit(query.limit), this.images.countDocuments(filter)]);
    const hostsByFile = await this.hosts.hostsHavingImageFiles(images.map((image) => image.fileName));
    return { items: images.map((image) => toTenantImageDto(image, hostsByFile.get(image.fileName) ?? [])), total };
  }

  /** For creating a tenant's VM: 404 when the image does not exist or the tenant may not use it. */
  async findUsableByTenant(imageId: string, tenantId: string): Promise<ImageSpec> {
    const image = isValidObjectId(imageId) ? await this.images.findOne({ _id: imageId, ...visibleTo(tenantId) }) : null;
    if (!image) throw AppException.notFound('Image');
    return toImageSpec(image);
  }

  /** Any image, whoever may use it (admin paths, and VMs showing where they came from); null when missing. */
  async findById(imageId: string): Promise<ImageSpec | null> {
    const image = isValidObjectId(imageId) ? await this.images.findById(imageId) : null;
    return image ? toImageSpec(image) : null;
  }

  /** A deleted tenant leaves the lists of images shared with it. */
  @OnEvent(TENANT_DELETED, { promisify: true })
  async onTenantDeleted({ tenantId }: TenantDeletedEvent): Promise<void> {
    const id = new Types.ObjectId(tenantId);
    await this.images.updateMany({ tenantIds: id }, { $pull: { tenantIds: id } });
  }

  /** The stored tenant list for a visibility: empty for public images; non-empty and existing tenants for shared ones. */
  private async checkedAudience(visibility: ImageVisibility, tenantIds: string[] | undefined): Promise<Types.ObjectId[]> {
    if (visibility === 'public') {
      if (tenantIds?.length) throw invalid('tenantIds', "tenantIds apply only when visibility is 'tenants'");
      return [];
    }
    if (!tenantIds?.length) throw invalid('tenantIds', "tenantIds must list at least one tenant when visibility is 'tenants'");
    const found = await Promise.all(tenantIds.map((id) => this.tenants.findById(id)));
    const unknown = tenantIds.filter((_, index) => !found[index]);
    if (unknown.length > 0) throw invalid('tenantIds', `unknown tenant(s): ${unknown.join(', ')}`);
    return tenantIds.map((id) => new Types.ObjectId(id));
  }

  private async findOrFail(id: string): Promise<ImageDocument> {
    const image = await this.images.findById(id);
    if (!image) throw AppException.notFound('Image');
    return image;
  }

  private async withHosts(image: ImageDocument): Promise<ImageDto> {
    const hostsByFile = await this.hosts.hostsHavingImageFiles([image.fileName]);
    return toImageDto(image, hostsByFile.get(image.fileName) ?? []);
  }
}

function visibleTo(tenantId: string): FilterQuery<ImageRecord> {
  return { $or: [{ visibility: 'public' }, { tenantIds: new Types.ObjectId(tenantId) }] };
}

function invalid(field: string, message: string): AppException {
  const details: FieldError[] = [{ field, errors: [message] }];
  return new AppException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, `Validation failed: ${field}: ${message}`, details);
}

function duplicateNameOr(error: unknown, name: string): unknown {
  return isDuplicateKeyError(error) ? AppException.conflict(`An image named '${name}' already exists`) : error;
}

function toImageSpec(image: ImageDocument): ImageSpec {
  return {
    id: image.id as string,
    name: image.name,
    os: image.os,
    generation: image.generation,
    fileName: image.fileName,
    minDiskGiB: image.minDiskGiB,
    defaultUser: image.defaultUser,
    cloudInit: image.cloudInit,
  };
}

function toImageDto(image: ImageDocument, hosts: HostSummary[]): ImageDto {
  return {
    ...toImageSpec(image),
    visibility: image.visibility,
    tenantIds: image.tenantIds.map((id) => id.toHexString()),
    hosts,
    createdAt: image.createdAt.toISOString(),
    updatedAt: image.updatedAt.toISOString(),
  };
}

function toTenantImageDto(image: ImageDocument, hosts: HostSummary[]): TenantImageDto {
  const { fileName: _internal, ...spec } = toImageSpec(image);
  return { ...spec, available: hosts.some((host) => host.status === 'online') };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
