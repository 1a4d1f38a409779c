// xml-writer ships no types; this is the part of its API Strata uses (https://github.com/Inist-CNRS/node-xml-writer).
declare module 'xml-writer' {
  export default class XMLWriter {
    constructor(indent?: boolean | string);
    startDocument(version?: string, encoding?: string): this;
    endDocument(): this;
    startElement(name: string): this;
    endElement(): this;
    /** Leaves the attribute out when `value` is empty: startAttribute(name).text(value).endAttribute() writes it. */
    writeAttribute(name: string, value: string): this;
    startAttribute(name: string): this;
    endAttribute(): this;
    writeElement(name: string, content: string): this;
    text(content: string): this;
    /** Writes `content` unescaped (in element content). */
    writeRaw(content: string): this;
    toString(): string;
  }
}
