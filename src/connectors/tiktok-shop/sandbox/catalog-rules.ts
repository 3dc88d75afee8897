/**
 * Product create/edit checks (reference §5.2, §5.4): what TikTok refuses field by field. Each
 * refusal names the request field the way TikTok's parameter errors do ("param body.<path> ...",
 * §1.4), with the envelope code from the catalog settings (product codes are UNCONFIRMED).
 */
import { parseMoney } from '../../../shared/money.ts';
import type { ProductInput } from '../wire/products.ts';
import { type Ctx, SandboxError } from './context.ts';
import type { Product, Shop } from './model.ts';

function refuse(ctx: Ctx, path: string, problem: string): SandboxError {
  return new SandboxError(ctx.settings.catalog.invalidFieldCode, `param body.${path} ${problem}`);
}

const DECIMAL = /^\d+(\.\d+)?$/;

function positive(value: string): boolean {
  return DECIMAL.test(value) && /[1-9]/.test(value);
}

/** Tags outside the allowed HTML subset, in order of appearance. */
function foreignTags(html: string, allowed: readonly string[]): string[] {
  const ok = new Set(allowed.map((t) => t.toLowerCase()));
  const found: string[] = [];
  for (const m of html.matchAll(/<\/?\s*([a-zA-Z][a-zA-Z0-9]*)/g)) {
    const tag = m[1]!.toLowerCase();
    if (!ok.has(tag) && !found.includes(tag)) found.push(tag);
  }
  return found;
}

export function checkProduct(ctx: Ctx, shop: Shop, input: ProductInput): void {
  const rules = ctx.settings.catalog;
  if (input.title.length > rules.titleMaxLength)
    throw refuse(ctx, 'title', `is longer than ${rules.titleMaxLength} characters`);
  if (input.description.length > rules.descriptionMaxLength)
    throw refuse(ctx, 'description', `is longer than ${rules.descriptionMaxLength} characters`);
  const tags = foreignTags(input.description, rules.descriptionTags);
  if (tags.length > 0)
    throw refuse(ctx, 'description', `uses HTML tags TikTok does not allow: ${tags.join(', ')}`);
  checkCategory(ctx, input);
  if (input.brand_id !== undefined && rules.brands && !rules.brands.includes(input.brand_id))
    throw refuse(ctx, 'brand_id', `${input.brand_id} is not a brand this shop may use`);
  if (input.main_images.length > rules.maxImages)
    throw refuse(ctx, 'main_images', `holds ${input.main_images.length} images; at most ${rules.maxImages}`);
  if (!positive(input.package_weight.value))
    throw refuse(ctx, 'package_weight.value', `"${input.package_weight.value}" must be a positive decimal`);
  checkDimensions(ctx, input);
  if (input.skus.length > rules.maxSkus)
    throw refuse(ctx, 'skus', `holds ${input.skus.length} SKUs; at most ${rules.maxSkus} in ${shop.region}`);
  input.skus.forEach((s, i) => {
    const at = `skus.${i}.price`;
    if (s.price.currency !== shop.currency) throw refuse(ctx, `${at}.currency`, `must be ${shop.currency}`);
    const minor = parseMoney(s.price.amount, shop.currency, `${at}.amount`).minor;
    const min = parseMoney(rules.priceMin, shop.currency, 'priceMin').minor;
    const max = parseMoney(rules.priceMax, shop.currency, 'priceMax').minor;
    if (minor < min || minor > max)
      throw refuse(ctx, `${at}.amount`, `${s.price.amount} is outside ${rules.priceMin}-${rules.priceMax}`);
  });
}

function checkCategory(ctx: Ctx, input: ProductInput): void {
  const tree = ctx.settings.catalog.categories;
  if (!tree) return;
  const category = tree.find((c) => c.id === input.category_id);
  if (!category) throw refuse(ctx, 'category_id', `${input.category_id} is not a category`);
  if (!category.leaf) throw refuse(ctx, 'category_id', `${input.category_id} is not a leaf category`);
  const given = new Set((input.product_attributes ?? []).map((a) => a.id));
  const missing = category.requiredAttributes.filter((id) => !given.has(id));
  if (missing.length > 0)
    throw refuse(
      ctx,
      'product_attributes',
      `misses attribute ${missing.join(', ')} required by category ${category.id}`,
    );
}

function checkDimensions(ctx: Ctx, input: ProductInput): void {
  const d = input.package_dimensions;
  if (!d) return;
  for (const side of ['length', 'width', 'height'] as const) {
    if (!positive(d[side]))
      throw refuse(ctx, `package_dimensions.${side}`, `"${d[side]}" must be a positive decimal`);
  }
}

/** The product fields a create or a full edit sets (an edit replaces them all, §5.1). */
export function productFields(
  input: ProductInput,
): Pick<
  Product,
  | 'title'
  | 'description'
  | 'categoryId'
  | 'brandId'
  | 'mainImages'
  | 'packageWeight'
  | 'packageDimensions'
  | 'attributes'
> {
  return {
    title: input.title,
    description: input.description,
    categoryId: input.category_id,
    brandId: input.brand_id,
    mainImages: input.main_images.map((i) => i.uri),
    packageWeight: { value: input.package_weight.value, unit: input.package_weight.unit },
    packageDimensions: input.package_dimensions,
    attributes: (input.product_attributes ?? []).map((a) => ({
      id: a.id,
      values: a.values.map((v) => ({ id: v.id, name: v.name })),
    })),
  };
}
