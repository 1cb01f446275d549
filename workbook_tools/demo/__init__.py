"""The whole job on the bundled sample: synthetic answers derived from the definitions
(`synthetic`), the sample round's story as data (`sample`, sample/round.yaml), and the demo
itself (`run`).

May import: every stage.
"""
