package org.kernelrig.symbols;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.kernelrig.crash.Demangler;

/**
 * The function symbols of an ELF file (a vmlinux, a module, any object with a
 * {@code .symtab}), read straight from its section headers: the way from a
 * frame's {@code function+offset} to an address that addr2line understands.
 * A vmlinux's symbols carry absolute addresses; a relocatable module's are
 * offsets into their section, so each symbol keeps its section's name.
 */
public final class ElfSymbols {

    private static final int SHT_SYMTAB = 2;
    private static final int SHT_NOBITS = 8;
    private static final int STT_FUNC = 2;
    private static final int ET_REL = 1;
    private static final int SHN_LORESERVE = 0xff00;
    /** Far more than any kernel has; bounds what a damaged file can make us allocate. */
    private static final long MAX_SECTIONS = 1 << 20;
    private static final long MAX_TABLE = 1L << 30;

    /**
     * One function symbol.
     *
     * @param value   its address, or in a relocatable file its offset in {@code section}
     * @param size    its size in the symbol table
     * @param span    the bytes to the next function of its section (or the section's end): what kallsyms
     *                prints as the size, padding included
     * @param section the name of its section ({@code .text}, {@code .text.unlikely})
     */
    public record Symbol(String name, long value, long size, long span, String section) {
    }

    private final Path file;
    private final boolean relocatable;
    private final boolean debugInfo;
    private final Map<String, List<Symbol>> byName;

    private ElfSymbols(Path file, boolean relocatable, boolean debugInfo, Map<String, List<Symbol>> byName) {
        this.file = file;
        this.relocatable = relocatable;
        this.debugInfo = debugInfo;
        this.byName = byName;
    }

    public Path file() {
        return file;
    }

    /** A module ({@code ET_REL}): addresses are offsets in a section. */
    public boolean relocatable() {
        return relocatable;
    }

    /** The file has DWARF line information, so addr2line can name a source line. */
    public boolean hasDebugInfo() {
        return debugInfo;
    }

    /**
     * The symbols of that name, found as printed or as the demangled form
     * the crash analyzer shows for Rust names.
     */
    public List<Symbol> named(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** Reads the file's symbol table. */
    public static ElfSymbols read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer ident = read(channel, 0, 64);
            if (ident.limit() < 52 || ident.getInt(0) != 0x7f454c46) {
                throw new IOException("not an ELF file");
            }
            boolean wide = ident.get(4) == 2;
            ByteOrder order = ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            ident.order(order);
            int type = Short.toUnsignedInt(ident.getShort(16));
            long shoff = wide ? ident.getLong(0x28) : Integer.toUnsignedLong(ident.getInt(0x20));
            int shentsize = Short.toUnsignedInt(ident.getShort(wide ? 0x3a : 0x2e));
            long shnum = Short.toUnsignedInt(ident.getShort(wide ? 0x3c : 0x30));
            int shstrndx = Short.toUnsignedInt(ident.getShort(wide ? 0x3e : 0x32));
            if (shoff == 0 || shentsize < (wide ? 64 : 40)) {
                throw new IOException("no section headers");
            }
            List<Section> sections = new ArrayList<>();
            Section first = section(channel, order, wide, shoff, shentsize, 0);
            if (shnum == 0) {
                shnum = first.size; // extended numbering: the count is in section 0
            }
            if (shstrndx == 0xffff) {
                shstrndx = (int) first.link;
            }
            if (shnum > MAX_SECTIONS) {
                throw new IOException("implausible section count " + shnum);
            }
            for (int i = 0; i < shnum; i++) {
                sections.add(i == 0 ? first : section(channel, order, wide, shoff, shentsize, i));
            }
            if (shstrndx >= sections.size()) {
                throw new IOException("no section name table");
            }
            ByteBuffer names = table(channel, sections.get(shstrndx));
            boolean lines = false;
            for (Section s : sections) {
                s.name = string(names, s.nameOffset);
                lines |= s.name.equals(".debug_line") && s.type != SHT_NOBITS && s.size > 0;
            }
            Section symtab = sections.stream().filter(s -> s.type == SHT_SYMTAB).findFirst()
                    .orElseThrow(() -> new IOException("no symbol table (stripped)"));
            if (symtab.link >= sections.size()) {
                throw new IOException("symbol table without string table");
            }
            ByteBuffer strings = table(channel, sections.get((int) symtab.link));
            ByteBuffer symbols = table(channel, symtab).order(order);
            int entry = wide ? 24 : 16;
            List<long[]> functions = new ArrayList<>();
            List<String> functionNames = new ArrayList<>();
            for (int at = entry; at + entry <= symbols.limit(); at += entry) {
                int info = Byte.toUnsignedInt(symbols.get(at + (wide ? 4 : 12)));
                int shndx = Short.toUnsignedInt(symbols.getShort(at + (wide ? 6 : 14)));
                if ((info & 0xf) != STT_FUNC || shndx == 0 || shndx >= SHN_LORESERVE || shndx >= sections.size()) {
                    continue;
                }
                long value = wide ? symbols.getLong(at + 8) : Integer.toUnsignedLong(symbols.getInt(at + 4));
                long size = wide ? symbols.getLong(at + 16) : Integer.toUnsignedLong(symbols.getInt(at + 8));
                functions.add(new long[] {value, size, shndx});
                functionNames.add(string(strings, Integer.toUnsignedLong(symbols.getInt(at))));
            }
            return new ElfSymbols(file, type == ET_REL, lines, index(functions, functionNames, sections, type == ET_REL));
        }
    }

    /** Names each function, with the span to the next function of its section, as kallsyms counts sizes. */
    private static Map<String, List<Symbol>> index(List<long[]> functions, List<String> names, List<Section> sections,
            boolean relocatable) {
        Integer[] order = new Integer[functions.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int bySection = Long.compare(functions.get(a)[2], functions.get(b)[2]);
            return bySection != 0 ? bySection : Long.compareUnsigned(functions.get(a)[0], functions.get(b)[0]);
        });
        Map<String, List<Symbol>> byName = new HashMap<>();
        for (int k = 0; k < order.length; k++) {
            long[] f = functions.get(order[k]);
            Section section = sections.get((int) f[2]);
            long end = relocatable ? section.size : section.address + section.size;
            if (Long.compareUnsigned(end, f[0]) < 0) {
                end = f[0] + f[1];
            }
            for (int next = k + 1; next < order.length; next++) {
                long[] g = functions.get(order[next]);
                if (g[2] != f[2]) {
                    break;
                }
                if (g[0] != f[0]) {
                    end = g[0];
                    break;
                }
            }
            String name = names.get(order[k]);
            Symbol symbol = new Symbol(name, f[0], f[1], end - f[0], section.name);
            byName.computeIfAbsent(name, n -> new ArrayList<>(1)).add(symbol);
            String demangled = Demangler.demangle(name);
            if (!demangled.equals(name)) {
                byName.computeIfAbsent(demangled, n -> new ArrayList<>(1)).add(symbol);
            }
        }
        return byName;
    }

    private static final class Section {
        long nameOffset;
        int type;
        long address;
        long offset;
        long size;
        long link;
        String name = "";
    }

    private static Section section(FileChannel channel, ByteOrder order, boolean wide, long shoff, int entsize, long index)
            throws IOException {
        ByteBuffer b = read(channel, shoff + index * entsize, entsize).order(order);
        if (b.limit() < entsize) {
            throw new IOException("truncated section headers");
        }
        Section s = new Section();
        s.nameOffset = Integer.toUnsignedLong(b.getInt(0));
        s.type = b.getInt(4);
        s.address = wide ? b.getLong(0x10) : Integer.toUnsignedLong(b.getInt(0x0c));
        s.offset = wide ? b.getLong(0x18) : Integer.toUnsignedLong(b.getInt(0x10));
        s.size = wide ? b.getLong(0x20) : Integer.toUnsignedLong(b.getInt(0x14));
        s.link = Integer.toUnsignedLong(b.getInt(wide ? 0x28 : 0x18));
        return s;
    }

    private static ByteBuffer table(FileChannel channel, Section s) throws IOException {
        if (s.type == SHT_NOBITS || s.size < 0 || s.size > MAX_TABLE || s.offset < 0 || s.offset + s.size > channel.size()) {
            throw new IOException("damaged section " + s.name);
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, s.offset, s.size);
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining() && channel.read(b, position + b.position()) > 0) {
            // a short read at the end of the file leaves the buffer partly filled
        }
        return b.flip();
    }

    private static String string(ByteBuffer table, long offset) {
        if (offset < 0 || offset >= table.limit()) {
            return "";
        }
        int end = (int) offset;
        while (end < table.limit() && table.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - (int) offset];
        table.get((int) offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
