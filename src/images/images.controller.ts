import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Audience, CurrentPrincipal } from '../common/auth/auth.decorators';
import { TenantPrincipal } from '../common/auth/principal';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { CreateImageDto, ImageDto, ImagePageDto, TenantImagePageDto, UpdateImageDto } from './image.dto';
import { ImagesService } from './images.service';

@ApiTags('admin: images')
@ApiBearerAuth()
@Audience('admin')
@Controller('api/v1/admin/images')
export class AdminImagesController {
  constructor(private readonly images: ImagesService) {}

  /** Add an image to the catalog; its file is found on hosts by `fileName` in their inventory. */
  @Post()
  create(@Body() body: CreateImageDto): Promise<ImageDto> {
    return this.images.create(body);
  }

  /** List images, filtered by name or file name, each with the hosts that have its file. */
  @Get()
  list(@Query() query: PaginationQueryDto): Promise<ImagePageDto> {
    return this.images.list(query);
  }

  @Get(':id')
  get(@Param('id', ParseObjectIdPipe) id: string): Promise<ImageDto> {
    return this.images.get(id);
  }

  /** Change an image's description or who may use it. */
  @Patch(':id')
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() body: UpdateImageDto): Promise<ImageDto> {
    return this.images.update(id, body);
  }

  /** Remove an image from the catalog (its file stays on the hosts). */
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    return this.images.remove(id);
  }
}

@ApiTags('images')
@ApiBearerAuth()
@Audience('tenant')
@Controller('api/v1/images')
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  /** The images the caller's tenant may create VMs from, filtered by name. */
  @Get()
  list(@CurrentPrincipal() principal: TenantPrincipal, @Query() query: PaginationQueryDto): Promise<TenantImagePageDto> {
    return this.images.listForTenant(principal.tenant.id, query);
  }
}
