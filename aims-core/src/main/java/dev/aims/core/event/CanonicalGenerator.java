package dev.aims.core.event;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.core.base.GeneratorBase;
import com.fasterxml.jackson.core.json.JsonWriteContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A Jackson generator that writes into a {@link CanonicalWriter}, so Jackson's serializers produce
 * canonical UTF-8 bytes straight from the application's objects, with no tree in between.
 *
 * <p>Every token is written as {@link CanonicalJson} writes the node that {@code valueToTree} would
 * make of it, by the same code: ints, longs and big integers as integers (as strings beyond
 * 2<sup>53</sup>); floats and doubles as their double value; big decimals as a number or, where no
 * double denotes them exactly, a string; binary as the default Base64 text. Tokens a tree would keep in a form this class
 * cannot reproduce (raw JSON, embedded objects, numbers given as text) throw
 * {@link CanonicalWriter.Unsupported}, and the caller takes the tree path.
 */
final class CanonicalGenerator extends GeneratorBase {
  private final CanonicalWriter out;

  CanonicalGenerator(ObjectCodec codec, CanonicalWriter out) {
    super(JsonGenerator.Feature.collectDefaults(), codec);
    this.out = out;
  }

  /** Ready for a new value: a fresh output context. */
  void reset() {
    _writeContext = JsonWriteContext.createRootContext(null);
  }

  @Override
  public void writeStartArray() throws IOException {
    _verifyValueWrite("start an array");
    _writeContext = _writeContext.createChildArrayContext();
    out.startArray();
  }

  @Override
  public void writeEndArray() {
    _writeContext = _writeContext.clearAndGetParent();
    out.endArray();
  }

  @Override
  public void writeStartObject() throws IOException {
    _verifyValueWrite("start an object");
    _writeContext = _writeContext.createChildObjectContext();
    out.startObject();
  }

  @Override
  public void writeStartObject(Object forValue) throws IOException {
    writeStartObject();
    _writeContext.setCurrentValue(forValue);
  }

  @Override
  public void writeEndObject() {
    _writeContext = _writeContext.clearAndGetParent();
    out.endObject();
  }

  @Override
  public void writeFieldName(String name) throws IOException {
    if (_writeContext.writeFieldName(name) == JsonWriteContext.STATUS_EXPECT_VALUE) {
      _reportError("Can not write a field name, expecting a value");
    }
    out.fieldName(name);
  }

  @Override
  public void writeFieldName(SerializableString name) throws IOException {
    writeFieldName(name.getValue());
  }

  @Override
  public void writeString(String text) throws IOException {
    if (text == null) {
      writeNull();
      return;
    }
    _verifyValueWrite(WRITE_STRING);
    out.stringValue(text);
  }

  @Override
  public void writeString(char[] text, int offset, int len) throws IOException {
    writeString(new String(text, offset, len));
  }

  @Override
  public void writeString(SerializableString text) throws IOException {
    writeString(text.getValue());
  }

  @Override
  public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
    writeString(new String(text, offset, length, StandardCharsets.UTF_8));
  }

  @Override
  public void writeRawUTF8String(byte[] text, int offset, int length) {
    throw new CanonicalWriter.Unsupported("raw UTF-8 string");
  }

  @Override
  public void writeRaw(String text) {
    throw new CanonicalWriter.Unsupported("raw JSON");
  }

  @Override
  public void writeRaw(String text, int offset, int len) {
    throw new CanonicalWriter.Unsupported("raw JSON");
  }

  @Override
  public void writeRaw(char[] text, int offset, int len) {
    throw new CanonicalWriter.Unsupported("raw JSON");
  }

  @Override
  public void writeRaw(char c) {
    throw new CanonicalWriter.Unsupported("raw JSON");
  }

  @Override
  public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws IOException {
    // a tree keeps the bytes (BinaryNode), and CanonicalJson writes them in the default variant
    writeString(Base64Variants.getDefaultVariant().encode(Arrays.copyOfRange(data, offset, offset + len), false));
  }

  @Override
  public void writeNumber(short v) throws IOException {
    _verifyValueWrite(WRITE_NUMBER);
    out.longValue(v);
  }

  @Override
  public void writeNumber(int v) throws IOException {
    _verifyValueWrite(WRITE_NUMBER);
    out.longValue(v);
  }

  @Override
  public void writeNumber(long v) throws IOException {
    _verifyValueWrite(WRITE_NUMBER);
    out.longValue(v);
  }

  @Override
  public void writeNumber(BigInteger v) throws IOException {
    if (v == null) {
      writeNull();
      return;
    }
    _verifyValueWrite(WRITE_NUMBER);
    out.bigIntegerValue(v);
  }

  @Override
  public void writeNumber(double v) throws IOException {
    _verifyValueWrite(WRITE_NUMBER);
    out.doubleValue(v);
  }

  @Override
  public void writeNumber(float v) throws IOException {
    _verifyValueWrite(WRITE_NUMBER);
    out.doubleValue(v); // a FloatNode's doubleValue()
  }

  @Override
  public void writeNumber(BigDecimal v) throws IOException {
    if (v == null) {
      writeNull();
      return;
    }
    _verifyValueWrite(WRITE_NUMBER);
    out.bigDecimalValue(v);
  }

  @Override
  public void writeNumber(String encodedValue) {
    throw new CanonicalWriter.Unsupported("number given as text");
  }

  @Override
  public void writeBoolean(boolean state) throws IOException {
    _verifyValueWrite(WRITE_BOOLEAN);
    out.booleanValue(state);
  }

  @Override
  public void writeNull() throws IOException {
    _verifyValueWrite(WRITE_NULL);
    out.nullValue();
  }

  @Override
  public void writeObject(Object value) {
    throw new CanonicalWriter.Unsupported("embedded object");
  }

  @Override
  public void writeTree(TreeNode rootNode) {
    throw new CanonicalWriter.Unsupported("embedded tree");
  }

  @Override
  public void writeEmbeddedObject(Object object) {
    throw new CanonicalWriter.Unsupported("embedded object");
  }

  @Override
  public void flush() {
    // everything is in the writer's buffer already
  }

  @Override
  protected void _releaseBuffers() {
    // the writer's buffer belongs to the thread, not to this generator
  }

  @Override
  protected void _verifyValueWrite(String typeMsg) throws IOException {
    if (_writeContext.writeValue() == JsonWriteContext.STATUS_EXPECT_NAME) {
      _reportError("Can not " + typeMsg + ", expecting a field name");
    }
  }
}
