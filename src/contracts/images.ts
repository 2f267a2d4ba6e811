import type { HostStatus } from './hosts';
import type { Page } from './tenants';

export const IMAGE_OS = ['linux', 'windows'] as const;
export type ImageOs = (typeof IMAGE_OS)[number];

/** Hyper-V VM generation the disk boots in (2 = UEFI). */
export const IMAGE_GENERATIONS = [1, 2] as const;
export type ImageGeneration = (typeof IMAGE_GENERATIONS)[number];

/** `public`: every tenant; `tenants`: only those listed in `tenantIds`. */
export const IMAGE_VISIBILITIES = ['public', 'tenants'] as const;
export type ImageVisibility = (typeof IMAGE_VISIBILITIES)[number];

/** What creating a VM from an image needs to know about it. */
export interface ImageSpec {
  id: string;
  name: string;
  os: ImageOs;
  generation: ImageGeneration;
  /** The `.vhdx` as hosts report it in their inventory. */
  fileName: string;
  minDiskGiB: number;
  /** The account cloud-init creates; null when the image has its own. */
  defaultUser: string | null;
  cloudInit: boolean;
}

export interface ImageHost {
  id: string;
  name: string;
  status: HostStatus;
}

/** `POST /api/v1/admin/images`. */
export interface CreateImageRequest {
  /** Unique name tenants pick the image by, e.g. `ubuntu-24.04`. */
  name: string;
  os: ImageOs;
  generation: ImageGeneration;
  /** The `.vhdx` in the hosts' image library, exactly as their inventory reports it. */
  fileName: string;
  minDiskGiB: number;
  /** Omit when the image brings its own account. */
  defaultUser?: string;
  /** Default true. */
  cloudInit?: boolean;
  /** Default `public`. */
  visibility?: ImageVisibility;
  /** Required (at least one) when visibility is `tenants`. */
  tenantIds?: string[];
}

/** `PATCH /api/v1/admin/images/:id`: `defaultUser: null` removes it; switching to `public` clears `tenantIds`. */
export interface UpdateImageRequest extends Partial<Omit<CreateImageRequest, 'defaultUser'>> {
  defaultUser?: string | null;
}

/** The admin's view: who may use the image and which hosts carry its file. */
export interface Image extends ImageSpec {
  visibility: ImageVisibility;
  tenantIds: string[];
  hosts: ImageHost[];
  createdAt: string;
  updatedAt: string;
}

/** A tenant's view: no host or file internals. */
export interface TenantImage extends Omit<ImageSpec, 'fileName'> {
  /** Some online host (not in maintenance) has the image's file, so a VM can be created from it now. */
  available: boolean;
}

export type ImagePage = Page<Image>;
export type TenantImagePage = Page<TenantImage>;
