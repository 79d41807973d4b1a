"""Review: scoring translations with sacrebleu, aligning references, writing reports."""
