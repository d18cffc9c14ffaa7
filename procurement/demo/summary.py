"""What the generator made, in the Swedish lines the command prints."""

import datetime
from dataclasses import dataclass

from common.formatting import format_number


@dataclass
class Summary:
    categories_created: int = 0
    product_groups_created: int = 0
    suppliers: int = 0
    procurements: int = 0
    planned: int = 0
    completed: int = 0
    cancelled: int = 0
    bids: int = 0
    contracts: int = 0
    follow_ups: int = 0
    activities: int = 0
    efforts: int = 0
    dialogues: int = 0
    horizon: datetime.date | None = None

    def lines(self):
        n = self.number
        return [
            f"Kategorier: {n(self.categories_created)} nya, varugrupper: {n(self.product_groups_created)} nya.",
            f"Leverantörer: {n(self.suppliers)}.",
            f"Upphandlingar: {n(self.procurements)} (varav {n(self.completed)} avslutade, "
            f"{n(self.cancelled)} avbrutna och {n(self.planned)} planerade).",
            f"Anbud: {n(self.bids)}. Avtal: {n(self.contracts)}. Avtalsuppföljningar: {n(self.follow_ups)}.",
            f"Informationsaktiviteter: {n(self.activities)}. Kompetenshöjande insatser: {n(self.efforts)}. "
            f"Dialoger med kommuner: {n(self.dialogues)}.",
            f"Inget är daterat efter {self.horizon.isoformat()} utom planerade datum.",
        ]

    @staticmethod
    def number(value):
        return format_number(value)
