import type { KindImpl } from "./kind.js";
import type { CompiledMessage } from "./message.js";
import pb from "./protobuf.js";
import { EnumKind } from "./scalars.js";
import { SchemaError } from "./schema-error.js";

/** protobufjs's JSON descriptor of a namespace (what `pbjs -t json` emits). */
export type ProtobufDescriptor = pb.INamespace;

/** The `labgob.Value` family: the wire format of `Value`, as protobuf messages. */
const VALUE_TYPES: pb.INamespace = {
  nested: {
    NullValue: { values: { NULL_VALUE: 0 } },
    Value: {
      oneofs: {
        kind: {
          oneof: [
            "nullValue",
            "boolValue",
            "intValue",
            "doubleValue",
            "stringValue",
            "bytesValue",
            "bigintValue",
            "listValue",
            "objectValue",
          ],
        },
      },
      fields: {
        nullValue: { type: "NullValue", id: 1 },
        boolValue: { type: "bool", id: 2 },
        intValue: { type: "sint64", id: 3 },
        doubleValue: { type: "double", id: 4 },
        stringValue: { type: "string", id: 5 },
        bytesValue: { type: "bytes", id: 6 },
        // Sign byte (0 or 1) followed by the big-endian magnitude without leading zeros.
        bigintValue: { type: "bytes", id: 7 },
        listValue: { type: "ValueList", id: 8 },
        objectValue: { type: "ValueObject", id: 9 },
      },
    },
    ValueList: { fields: { items: { rule: "repeated", type: "Value", id: 1 } } },
    ValueObject: { fields: { entries: { rule: "repeated", type: "ValueEntry", id: 1 } } },
    ValueEntry: { fields: { key: { type: "string", id: 1 }, value: { type: "Value", id: 2 } } },
  } as Record<string, pb.AnyNestedObject>,
};

function enumName(field: string): string {
  return field.charAt(0).toUpperCase() + field.slice(1);
}

/**
 * The protobufjs JSON descriptor of `root` and every message it uses: one top-level type per
 * message, `labgob.*` for values. `protobuf.Root.fromJSON` reads it with proto3 semantics, and
 * it matches our wire format exactly (tests check this with protobufjs's own decoder).
 */
export function describeMessage(root: CompiledMessage): pb.INamespace {
  const nested: Record<string, pb.AnyNestedObject> = {};
  const seen = new Map<string, CompiledMessage>();
  let usesValue = false;

  const typeName = (impl: KindImpl, field: string, enums: Record<string, pb.IEnum>): string => {
    if (impl instanceof EnumKind) {
      const name = enumName(field);
      const values: Record<string, number> = {};
      impl.values.forEach((v: string, i: number) => {
        values[v] = i;
      });
      enums[name] = { values };
      return name;
    }
    if (impl.protoType === "labgob.Value") usesValue = true;
    else if (isMessage(impl)) visit(impl);
    return impl.protoType;
  };

  const visit = (m: CompiledMessage): void => {
    const other = seen.get(m.name);
    if (other === m) return;
    if (other !== undefined) {
      throw new SchemaError(
        `two different messages are named ${m.name}; reflection needs unique names`,
      );
    }
    seen.set(m.name, m);
    const fields: Record<string, pb.IField | pb.IMapField> = {};
    const oneofs: Record<string, pb.IOneOf> = {};
    const enums: Record<string, pb.IEnum> = {};
    for (const slot of m.declared) {
      const type = typeName(slot.impl, slot.name, enums);
      switch (slot.card) {
        case "single":
          fields[slot.name] = { type, id: slot.id };
          break;
        case "optional":
          fields[slot.name] = { type, id: slot.id, options: { proto3_optional: true } };
          oneofs[`_${slot.name}`] = { oneof: [slot.name] };
          break;
        case "repeated":
          fields[slot.name] = { rule: "repeated", type, id: slot.id };
          break;
        case "map":
          fields[slot.name] = { keyType: "string", type, id: slot.id };
          break;
      }
    }
    const type: pb.IType = { fields };
    if (Object.keys(oneofs).length > 0) type.oneofs = oneofs;
    if (Object.keys(enums).length > 0) type.nested = enums;
    nested[m.name] = type;
  };

  visit(root);
  if (usesValue) nested.labgob = VALUE_TYPES;
  return { nested };
}

function isMessage(impl: KindImpl): impl is CompiledMessage {
  return typeof (impl as Partial<CompiledMessage>).readBody === "function";
}

/** The protobufjs reflection of a message, in a `Root` of its own. */
export function reflectMessage(root: CompiledMessage): pb.Type {
  return pb.Root.fromJSON(describeMessage(root)).lookupType(root.name);
}
