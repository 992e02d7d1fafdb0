"""Distillation algorithms: student + frozen teachers + a distiller."""
from .teacher_student import TeacherStudentDistill
