import Foundation
import Model
import Testing
@testable import Rendering

/// The packed form of the heat field's fixed-point blocks (`PackedBlock`): every block unpacks to the
/// very values it was made from, and bytes that are not a block are refused.
@Suite struct PackedBlockTests {
    /// Seeded values of every kind a block can hold: zeros, long runs, smooth slopes, extremes.
    func block(seed: UInt64) -> [Int64] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        var values = [Int64](repeating: 0, count: PackedBlock.count)
        for i in values.indices {
            switch i / 4096 {
            case 0: values[i] = 0
            case 1: values[i] = 17
            case 2: values[i] = Int64(i * i % 9_000_000)
            case 3: values[i] = [Int64.max, Int64.min, -1, 1, 0][Int(next() % 5)]
            case 4: values[i] = Int64(bitPattern: next() << 11 | next())
            default: values[i] = i % 700 < 350 ? Int64(next() % 4_000_000) : values[i - 1]
            }
        }
        return values
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func unpacksToTheSameValues(seed: UInt64) {
        let values = block(seed: seed)
        let packed = values.withUnsafeBufferPointer { PackedBlock($0) }
        #expect(packed.unpacked() == values)
        #expect(PackedBlock(bytes: packed.bytes) == packed)
    }

    @Test func anEmptyBlockTakesFourBytesAndAFieldFarUnderEightAPixel() {
        let zeros = [Int64](repeating: 0, count: PackedBlock.count)
        #expect(zeros.withUnsafeBufferPointer { PackedBlock($0) }.bytes.count == 4)
        let field = DensityField(points: [.init(lon: 114.05, lat: 22.55, weight: 1)], bandwidthMetres: 150,
                                 coarsestLevel: 10, finestLevel: 16)
        // One kernel: a few thousand non-zero samples, the rest runs of zeros — far under 8 bytes a pixel.
        let bytes = field.fixed.blocks.values.reduce(0) { $0 + $1.bytes.count }
        #expect(bytes < field.fixed.blocks.count * PackedBlock.count / 4, "\(bytes) bytes")
    }

    @Test func bytesThatAreNotABlockAreRefused() {
        let packed = block(seed: 4).withUnsafeBufferPointer { PackedBlock($0) }
        #expect(PackedBlock(bytes: Array(packed.bytes.dropLast())).unpacked() == nil)
        #expect(PackedBlock(bytes: packed.bytes + [1]).unpacked() == nil)
        #expect(PackedBlock(bytes: []).unpacked() == nil)
        // A run longer than the block.
        #expect(PackedBlock(bytes: [0, 0x81, 0x80, 0x04]).unpacked() == nil)
        // A varint that never ends.
        #expect(PackedBlock(bytes: [UInt8](repeating: 0xFF, count: 12)).unpacked() == nil)
    }
}

extension PackedBlockTests {
    @Test func aDamagedPreviousFieldIsDrawnFromScratch() {
        let points = (0..<300).map { (i: Int) -> HeatPoint in
            HeatPoint(lon: 114.0 + Double(i % 17) * 0.004, lat: 22.5 + Double(i / 17) * 0.003, weight: 1)
        }.sorted(by: HeatPoint.canonicalOrder)
        let first = DensityField(points: points, bandwidthMetres: 150, coarsestLevel: 10, finestLevel: 16)
        var damaged = first.fixed
        let key = damaged.blocks.keys.sorted()[0]
        damaged.blocks[key] = PackedBlock(bytes: Array(damaged.blocks[key]!.bytes.dropLast()))
        let day2 = Array(points.dropFirst(5))
        let scratch = DensityField(points: day2, bandwidthMetres: 150, coarsestLevel: 10, finestLevel: 16)
        let updated = DensityField(points: day2, bandwidthMetres: 150, coarsestLevel: 10, finestLevel: 16,
                                   updating: (points, damaged))
        #expect(updated.fixed == scratch.fixed)
    }
}
