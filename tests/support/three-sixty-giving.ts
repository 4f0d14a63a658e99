import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

// The standard's own schemas, copied unmodified into the project (see the LICENCE.md beside them).
type Schema = Record<string, unknown>;
const readSchema = (name: string): Schema => JSON.parse(readFileSync(new URL(`../fixtures/360giving/${name}`, import.meta.url), "utf8")) as Schema;
const packageSchema = readSchema("360-giving-package-schema.json");
const grantSchema = readSchema("360-giving-schema.json");

// Ajv2020 does not know the schemas' "http://json-schema.org/draft/2020-12/schema" spelling, so the key goes; it applies 2020-12 anyway.
const withoutDialect = ({ $schema: _dialect, ...schema }: Schema): Schema => schema;

/** The package schema refers to the grant schema as 1.4.2; the grant schema calls itself 1.4.3. Both resolve locally. */
const GRANT_SCHEMA_AS_REFERENCED = (packageSchema.properties as Record<string, { items: { $ref: string } }>).grants.items.$ref;

/** Ajv set up to validate a 360Giving package offline against the copied 1.4.3 schemas. */
export function packageValidator() {
  // Ajv's strict mode lints how a schema is written (it objects to the standard's `required` inside `oneOf`
  // and its "codelist" annotation), not the data, and the standard's schemas are not ours to change.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const grant = withoutDialect(grantSchema);
  ajv.addSchema(grant);
  ajv.addSchema({ ...grant, $id: GRANT_SCHEMA_AS_REFERENCED });
  return ajv.compile(withoutDialect(packageSchema));
}

/** A column title as the standard derives it: the field's title, or the list's title, ":" and the field's title. */
export function schemaTitle(path: string): string {
  const defs = grantSchema.$defs as Record<string, Schema>;
  const props = grantSchema.properties as Record<string, Schema>;
  const resolve = (node: Schema): Schema => {
    const ref = ((node.items as Schema | undefined)?.$ref ?? node.$ref) as string | undefined;
    return ref ? defs[ref.replace("#/$defs/", "")]! : node;
  };
  const titleOf = (node: Schema) => (node.title ?? resolve(node).title) as string;
  const [outer, inner] = path.split(".") as [string, string | undefined];
  const field = props[outer]!;
  if (!inner) return titleOf(field);
  return `${titleOf(field)}:${titleOf((resolve(field).properties as Record<string, Schema>)[inner]!)}`;
}
