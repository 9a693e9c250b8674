"""Small built-in name lists for customers: enough variety for realistic rows, no Faker needed."""

from __future__ import annotations

__all__ = ["AREA_CODES", "FIRST_NAMES", "LAST_NAMES"]

# Ten names a line reads better than one a line.
# fmt: off
FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
    "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret",
    "Steven", "Ashley", "Paul", "Kimberly", "Andrew", "Emily", "Joshua", "Donna", "Kevin", "Michelle",
    "Brian", "Carol", "George", "Amanda", "Timothy", "Melissa", "Ryan", "Deborah", "Jacob", "Stephanie",
    "Wei", "Priya", "Carlos", "Sofia", "Hiroshi", "Aisha", "Mateo", "Mei", "Omar", "Ana",
)

LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Chen", "Patel", "Kim", "Tanaka", "Singh", "Olsen", "Larsen", "Murphy", "Cohen", "Novak",
)
# fmt: on

#: Telephone area codes of the store cities; online customers get any of them.
AREA_CODES = {
    "Seattle": "206",
    "Bellevue": "425",
    "Tacoma": "253",
    "Spokane": "509",
    "Everett": "425",
    "Redmond": "425",
    "Kirkland": "425",
}
