/** The mapping engine: spec types, validator/interpreter, transforms and lookups. */
export {
  type CompiledMapping,
  type CompileOptions,
  checkTemplate,
  compileSpec,
  renderTemplate,
  templatePaths,
} from './compile.ts';
export { checkPath, isRecord, readPath } from './paths.ts';
export {
  type CallExpr,
  type ConstExpr,
  Expr,
  JsonValue,
  MappingSpec,
  type PathExpr,
  type TemplateExpr,
} from './spec.ts';
export {
  type BoundTransform,
  type CallInfo,
  defineTransform,
  Registry,
  type Transform,
  type TransformDef,
} from './transform.ts';
export {
  BUILTIN_TRANSFORMS,
  createRegistry,
  dateIn,
  isTimeZone,
  type Lookup,
  type MappingContext,
} from './transforms.ts';
